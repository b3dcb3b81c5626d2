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

  private normalize(chunk: Buffer): Buffer {
    const parts: Buffer[] = [];
    let start = 0;
    let i = 0;
    if (this.pendingCr) {
      this.pendingCr = false;
      if (chunk[0] === LF) {
        parts.push(CRLF);
        this.endLine(false);
        start = i = 1;
      } else {
        parts.push(CRLF);
        this.endLine(true);
      }
    }
    for (; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === CR) {
        if (i + 1 < chunk.length) {
          if (chunk[i + 1] === LF) {
            i++;
            this.endLine(false);
            continue;
          }
          // bare CR: end the line with CRLF
          parts.push(chunk.subarray(start, i), CRLF);
          start = i + 1;
          this.endLine(true);
          continue;
        }
        // CR at the end of the chunk: the next chunk decides
        parts.push(chunk.subarray(start, i));
        start = i + 1;
        this.pendingCr = true;
        continue;
      }
      if (b === LF) {
        parts.push(chunk.subarray(start, i), CRLF);
        start = i + 1;
        this.endLine(true);
        continue;
      }
      if (this.lineLength === 0) this.lineIsDot = b === DOT;
      this.lineLength++;
    }
    if (start === 0 && parts.length === 0) return chunk;
    parts.push(chunk.subarray(start));
    return Buffer.concat(parts);
  }
}
