import { Transform, type TransformCallback } from 'node:stream';
import { MimeNode } from '@zone-eu/mailsplit';

/**
 * Deepest MIME nesting the inspector takes apart. Real mail nests 3–5 levels (mixed > related >
 * alternative, a forwarded message inside); 50 leaves room for long forward chains. The limit
 * bounds the parse: mailsplit (inside mailparser) compares every `--` line with the boundary of
 * every open ancestor and walks the finished tree recursively, so depth multiplies its work, and
 * it gives up beyond 1,000 parts.
 */
export const MAX_MIME_DEPTH = 50;
/** Most parts the inspector takes apart, well below mailsplit's hard limit of 1,000. */
export const MAX_MIME_PARTS = 500;
/** mailsplit refuses a part header larger than this (1 MiB); such a part is passed on unparsed. */
const MAX_HEADER_BYTES = 1024 * 1024;
/** What a delimiter line may carry besides its boundary (mailsplit: "--" twice, 998 SP/HTAB, CRLF). */
const DELIMITER_EXTRA = 2 + 2 + 998 + 2;

const DASH = 0x2d;
const LF = 0x0a;
const CR = 0x0d;

/** An open part that holds others: a multipart (with its boundary) or an embedded message. */
interface Container {
  boundary: Buffer | null;
  /** A delimiter opened a child: a closing delimiter before that is still preamble (as mailsplit reads it). */
  hasChild: boolean;
}

type Delimiter = { index: number; close: boolean };

/** Where the copy left parts out. */
export interface MimeCut {
  depth: boolean;
  parts: boolean;
}

/**
 * Copies a mail, leaving out the parts nested deeper than MAX_MIME_DEPTH containers and the parts
 * after the first MAX_MIME_PARTS, so that mailparser only ever sees a bounded structure. One pass
 * over the lines with a stack of at most MAX_MIME_DEPTH open containers, no recursion: a part is
 * left out with its delimiter line and everything up to the next delimiter of a container that is
 * kept, which is where mailsplit ends it too. Part headers are read by mailsplit's own MimeNode,
 * so boundaries are the ones mailparser splits by. Embedded messages (message/rfc822) count as a
 * level whether mailsplit opens them or not, so the copy is never deeper than the limit.
 */
export class MimeLimit extends Transform {
  readonly cut: MimeCut = { depth: false, parts: false };
  private readonly stack: Container[] = [];
  private inHeader = true;
  /** Inside a part that is left out. */
  private skipping = false;
  /** The delimiter line that opened the current part, held back with its header. */
  private lead: Buffer | null = null;
  private header: Buffer[] = [];
  private headerBytes = 0;
  private parts = 1;
  /** The incomplete last line of the input so far. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** The rest of a line already passed on as content (too long to be a delimiter). */
  private lineTruncated = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let start = 0;
    while (start < chunk.length) {
      const lf = chunk.indexOf(LF, start);
      const end = lf < 0 ? chunk.length : lf + 1;
      this.pending.push(chunk.subarray(start, end));
      this.pendingBytes += end - start;
      start = end;
      if (lf >= 0) this.takeLine();
      else this.limitPending();
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.pendingBytes > 0) this.takeLine();
    if (this.inHeader) this.flushHeaderUnparsed();
    done();
  }

  private takeLine(): void {
    const line = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending);
    const truncated = this.lineTruncated;
    this.pending = [];
    this.pendingBytes = 0;
    this.lineTruncated = false;
    const delimiter = truncated ? undefined : this.delimiterOf(line);
    if (delimiter) this.onDelimiter(delimiter, line);
    else if (this.inHeader) this.addHeaderLine(line);
    else this.content(line);
  }

  /** A line without its end yet that can no longer be a delimiter is passed on, not held. */
  private limitPending(): void {
    const longest = this.stack.reduce((n, c) => Math.max(n, c.boundary?.length ?? 0), 0);
    if (this.pendingBytes <= longest + DELIMITER_EXTRA) return;
    if (this.inHeader && this.headerBytes + this.pendingBytes <= MAX_HEADER_BYTES) return;
    const part = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    this.lineTruncated = true;
    if (this.inHeader) {
      this.header.push(part);
      this.flushHeaderUnparsed();
    } else this.content(part);
  }

  private content(bytes: Buffer): void {
    if (!this.skipping) this.push(bytes);
  }

  /** `--boundary` or `--boundary--` of an open container, innermost first (mailsplit's rules). */
  private delimiterOf(line: Buffer): Delimiter | undefined {
    if (line.length < 3 || line[0] !== DASH || line[1] !== DASH) return undefined;
    for (let index = this.stack.length - 1; index >= 0; index--) {
      const boundary = this.stack[index]?.boundary;
      if (!boundary || line.length < boundary.length + 3 || line.length > boundary.length + DELIMITER_EXTRA)
        continue;
      if (line.compare(boundary, 0, boundary.length, 2, 2 + boundary.length) !== 0) continue;
      let i = 2 + boundary.length;
      const close = line[i] === DASH && line[i + 1] === DASH;
      if (line[i] === DASH && !close) continue;
      if (close) i += 2;
      while (line[i] === 0x20 || line[i] === 0x09) i++;
      while (line[i] === CR) i++;
      if (line[i] === LF) i++;
      if (i !== line.length) continue;
      if (!close && line[line.length - 1] !== LF) continue;
      return { index, close };
    }
    return undefined;
  }

  private onDelimiter({ index, close }: Delimiter, line: Buffer): void {
    const container = this.stack[index] as Container;
    if (close && index === this.stack.length - 1 && !container.hasChild && !this.inHeader) {
      // A closing delimiter in the preamble does not end the multipart (mailsplit: case 2).
      this.content(line);
      return;
    }
    if (this.inHeader) this.flushHeaderUnparsed();
    this.stack.length = index + 1;
    this.skipping = false;
    if (close) {
      this.stack.pop();
      this.push(line);
      return;
    }
    container.hasChild = true;
    if (++this.parts > MAX_MIME_PARTS) {
      this.cut.parts = true;
      this.skipping = true;
      return;
    }
    this.lead = line;
    this.inHeader = true;
  }

  private addHeaderLine(line: Buffer): void {
    this.header.push(line);
    this.headerBytes += line.length;
    const blank =
      (line.length === 1 && line[0] === LF) || (line.length === 2 && line[0] === CR && line[1] === LF);
    if (blank) this.endHeader();
    else if (this.headerBytes > MAX_HEADER_BYTES) this.flushHeaderUnparsed();
  }

  /** A part header that ended early or is too large: passed on as it is, the part read as a leaf. */
  private flushHeaderUnparsed(): void {
    if (!this.skipping) {
      if (this.lead) this.push(this.lead);
      for (const l of this.header) this.push(l);
    }
    this.resetHeader();
  }

  private resetHeader(): void {
    this.lead = null;
    this.header = [];
    this.headerBytes = 0;
    this.inHeader = false;
  }

  private endHeader(): void {
    const node = new MimeNode(false, {});
    for (const l of this.header) node.addHeaderChunk(l);
    node.parseHeaders();
    const boundary = node.multipart && node._boundary ? node._boundary : null;
    const embedded =
      node.contentType === 'message/rfc822' &&
      (!node.encoding || ['7bit', '8bit', 'binary'].includes(node.encoding));
    if ((boundary || embedded) && this.stack.length >= MAX_MIME_DEPTH) {
      this.cut.depth = true;
      this.skipping = true;
      this.resetHeader();
      return;
    }
    this.flushHeaderUnparsed();
    if (boundary) {
      this.stack.push({ boundary, hasChild: false });
    } else if (embedded) {
      // The embedded message's own header follows at once, one level further down.
      this.stack.push({ boundary: null, hasChild: true });
      if (++this.parts > MAX_MIME_PARTS) {
        this.cut.parts = true;
        this.skipping = true;
      } else this.inHeader = true;
    }
  }
}
