import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** A line longer than this without its end is hashed in parts, so no line is ever held whole. */
const LONGEST_HELD_LINE = 64 * 1024;
const CR = 0x0d;
const LF = 0x0a;
const CRLF = Buffer.from('\r\n');
const NOTHING = Buffer.alloc(0);

const crlfAt = (b: Buffer, i: number) => b[i] === CR && b[i + 1] === LF;
const hasWhitespace = (b: Buffer) => b.indexOf(0x20) >= 0 || b.indexOf(0x09) >= 0;
/** Relaxed canonical form of whole lines: whitespace before a line end dropped, any other run one space. */
const relaxLines = (lines: Buffer) =>
  Buffer.from(
    lines
      .toString('latin1')
      .replace(/[ \t]+\r\n/g, '\r\n')
      .replace(/[ \t]+/g, ' '),
    'latin1',
  );

/**
 * The DKIM body hash (RFC 6376 §3.4.4, "relaxed", SHA-256) of the mail streaming through; the
 * bytes pass on unchanged. Its input must have CRLF line ends only — the intake's DataNormalizer,
 * which comes first, guarantees that. Whole lines are canonicalised a chunk at a time: lines
 * without a space or tab (base64 attachments) are hashed as they are, others through two regular
 * expressions — instead of byte by byte: mailauth's BodyHashStream, which this replaces on the
 * intake's path, took ~150-200 ms of a 25 MiB mail's time to 250 (issue 13). Its result is the
 * reference this one is tested against (test/unit/relaxed-body-hash.test.ts).
 *
 * Empty lines are held back until a line with content follows (empty lines at the end of the body
 * are ignored); a body that does not end with CRLF gets one.
 */
export class RelaxedBodyHash extends Transform {
  /** base64 of the hash, set once the stream has ended. */
  bodyHash: string | undefined;
  private readonly hash: Hash = createHash('sha256');
  /** Empty lines seen and not yet hashed. */
  private heldLines = 0;
  /** The start of a line whose end has not come yet (only its trailing whitespace, when part was hashed). */
  private carry: Buffer = NOTHING;
  /** Part of the current line was hashed already, so it is not an empty line. */
  private midLine = false;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    // A last line without its CRLF (never over SMTP, whose terminator's CRLF ends the body): its
    // whitespace made one space, kept, and a CRLF added — what dkimpy does (mailauth drops it).
    const rest = this.carry.toString('latin1').replace(/[ \t]+/g, ' ');
    if (rest.length > 0 || this.midLine) this.hashBytes(Buffer.from(`${rest}\r\n`, 'latin1'));
    this.bodyHash = this.hash.digest('base64');
    done();
  }

  private update(chunk: Buffer): void {
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const last = data.lastIndexOf(CRLF);
    if (last < 0) {
      if (data.length < LONGEST_HELD_LINE) this.carry = data;
      else this.hashPartOfLine(data);
      return;
    }
    this.carry = data.subarray(last + 2);
    const lines = data.subarray(0, last + 2);
    this.hashLines(hasWhitespace(lines) ? relaxLines(lines) : lines);
  }

  /** Whole canonical lines (ending with CRLF): empty lines at their end are held back. */
  private hashLines(lines: Buffer): void {
    let start = 0;
    if (!this.midLine) {
      while (start < lines.length && crlfAt(lines, start)) start += 2;
      if (start === lines.length) {
        this.heldLines += start / 2;
        return;
      }
    }
    let end = lines.length;
    let empty = 0;
    while (end - 4 >= start && crlfAt(lines, end - 4) && crlfAt(lines, end - 2)) {
      end -= 2;
      empty++;
    }
    this.hashBytes(lines.subarray(0, end));
    this.heldLines = empty;
    this.midLine = false;
  }

  /** A long line without its end yet: hashes it up to its last character that is not whitespace. */
  private hashPartOfLine(data: Buffer): void {
    const text = data.toString('latin1');
    // With CRLF line ends only, a CR can only be the last character (its LF comes next).
    const end = text.search(/[ \t]*\r?$/);
    const tail = text.slice(end);
    // The trailing whitespace waits for the line's end; one space stands for any run of it.
    this.carry = Buffer.from(`${/^[ \t]/.test(tail) ? ' ' : ''}${tail.endsWith('\r') ? '\r' : ''}`, 'latin1');
    if (end === 0) return;
    this.hashBytes(Buffer.from(text.slice(0, end).replace(/[ \t]+/g, ' '), 'latin1'));
    this.midLine = true;
  }

  /** Hashes canonical bytes that have content, after the empty lines held back before them. */
  private hashBytes(bytes: Buffer): void {
    if (this.heldLines > 0) {
      this.hash.update('\r\n'.repeat(this.heldLines), 'latin1');
      this.heldLines = 0;
    }
    this.hash.update(bytes);
  }
}
