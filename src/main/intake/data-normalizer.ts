import { Transform, type TransformCallback } from 'node:stream';

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
const CRLF = Buffer.from('\r\n');

/**
 * First stage of every received mail:
 * - counts the bytes received; past `maxBytes` it stops passing data on, so an oversized mail
 *   is drained, never stored or held (smtp-server then answers 552);
 * - turns bare LF and bare CR into CRLF, so what is signed and stored is exactly what goes out;
 * - flags the SMTP smuggling pattern: a line holding a lone "." next to a bare line ending,
 *   which a receiving server might take for the end of the mail.
 */
export class DataNormalizer extends Transform {
  bytes = 0;
  oversized = false;
  smuggling = false;
  private pendingCr = false;
  /** Length of the current line so far, and whether it is just ".". */
  private lineLength = 0;
  private lineIsDot = false;
  private previousEndingBare = false;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) this.oversized = true;
    if (this.oversized) {
      done();
      return;
    }
    done(null, this.normalize(chunk));
  }

  override _flush(done: TransformCallback): void {
    if (this.oversized) {
      done();
      return;
    }
    if (this.pendingCr) {
      this.pendingCr = false;
      this.endLine(true);
      done(null, CRLF);
      return;
    }
    done();
  }

  private endLine(bare: boolean): void {
    if (this.lineIsDot && this.lineLength === 1 && (bare || this.previousEndingBare)) this.smuggling = true;
    this.previousEndingBare = bare;
    this.lineLength = 0;
    this.lineIsDot = false;
  }

  /** Line by line with indexOf, so the cost grows with the number of lines, not bytes. */
  private normalize(chunk: Buffer): Buffer {
    const parts: Buffer[] = [];
    let start = 0;
    let i = 0;
    if (this.pendingCr) {
      this.pendingCr = false;
      parts.push(CRLF);
      if (chunk[0] === LF) {
        this.endLine(false);
        start = i = 1;
      } else {
        this.endLine(true);
      }
    }
    // Next LF and CR positions, searched again only once passed (-1: none left in this chunk).
    let lf = -2;
    let cr = -2;
    while (i < chunk.length) {
      if (lf !== -1 && lf < i) lf = chunk.indexOf(LF, i);
      if (cr !== -1 && cr < i) cr = chunk.indexOf(CR, i);
      const end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
      if (end < 0) {
        this.addToLine(chunk, i, chunk.length);
        break;
      }
      this.addToLine(chunk, i, end);
      if (chunk[end] === LF) {
        // bare LF
        parts.push(chunk.subarray(start, end), CRLF);
        start = i = end + 1;
        this.endLine(true);
      } else if (end + 1 === chunk.length) {
        // CR at the end of the chunk: the next chunk decides
        parts.push(chunk.subarray(start, end));
        start = i = end + 1;
        this.pendingCr = true;
      } else if (chunk[end + 1] === LF) {
        i = end + 2;
        this.endLine(false);
      } else {
        // bare CR
        parts.push(chunk.subarray(start, end), CRLF);
        start = i = end + 1;
        this.endLine(true);
      }
    }
    if (parts.length === 0) return chunk;
    parts.push(chunk.subarray(start));
    return Buffer.concat(parts);
  }

  private addToLine(chunk: Buffer, from: number, to: number): void {
    if (to <= from) return;
    if (this.lineLength === 0) this.lineIsDot = chunk[from] === DOT;
    this.lineLength += to - from;
  }
}
