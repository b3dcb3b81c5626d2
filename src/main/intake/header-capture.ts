import { Transform, type TransformCallback } from 'node:stream';

/** Header blocks larger than this are not kept for display; the mail itself is still stored whole. */
const MAX_HEADER_BYTES = 256 * 1024;

/**
 * Passes the mail through unchanged while keeping its header block (up to the first empty line)
 * and counting bytes. Past `maxBytes` it stops passing data on, so an oversized mail is drained,
 * never stored or held in memory; smtp-server then answers 552.
 */
export class IntakeTap extends Transform {
  bytes = 0;
  oversized = false;
  private header: Buffer[] = [];
  private headerBytes = 0;
  private headerDone = false;

  constructor(private readonly maxBytes: number) {
    super();
  }

  /** The raw header block, without the empty line that ends it. */
  headerBlock(): Buffer {
    const all = Buffer.concat(this.header);
    const end = findHeaderEnd(all);
    return end >= 0 ? all.subarray(0, end) : all;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (!this.headerDone) this.keepHeader(chunk);
    if (this.bytes > this.maxBytes) this.oversized = true;
    if (this.oversized) done();
    else done(null, chunk);
  }

  private keepHeader(chunk: Buffer): void {
    const room = MAX_HEADER_BYTES - this.headerBytes;
    const part = chunk.subarray(0, room);
    this.header.push(part);
    this.headerBytes += part.length;
    // Search only the newly added bytes plus 3 before them for the end marker.
    const all = Buffer.concat(this.header);
    this.header = [all];
    if (
      findHeaderEnd(all, Math.max(0, all.length - part.length - 3)) >= 0 ||
      this.headerBytes >= MAX_HEADER_BYTES
    ) {
      this.headerDone = true;
    }
  }
}

/** Index of the empty line ending the header (CRLF CRLF or, from sloppy clients, LF LF). */
function findHeaderEnd(buf: Buffer, from = 0): number {
  if (buf.length >= 2 && from === 0 && (buf[0] === 0x0a || (buf[0] === 0x0d && buf[1] === 0x0a))) return 0;
  for (let i = from; i < buf.length - 1; i++) {
    if (buf[i] !== 0x0a) continue;
    if (buf[i + 1] === 0x0a) return i + 1;
    if (buf[i + 1] === 0x0d && buf[i + 2] === 0x0a) return i + 1;
  }
  return -1;
}
