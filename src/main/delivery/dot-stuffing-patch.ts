import type { TransformCallback } from 'node:stream';
import DataStream from 'nodemailer/lib/smtp-connection/data-stream';
import { replaceMethod } from '../engine/library-patch';

/** SHA-256 of DataStream.prototype._transform in nodemailer 10.6.0 (CJS and ESM builds alike). */
const ORIGINAL = 'f9011076cfb9b81d6f382bca2d600bc9fe9d40bbe0d4bed9a0563aab27e8d4d5';
const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
// bytes inserted into the output, shared as they are only ever copied by Buffer.concat
const INSERT_LF = Buffer.from('\n');
const INSERT_LF_DOT = Buffer.from('\n.');
const INSERT_CR = Buffer.from('\r');
const INSERT_DOT = Buffer.from('.');

type Transform = (chunk: Buffer | string, encoding: BufferEncoding, done: TransformCallback) => void;
type Proto = DataStream & { _transform: Transform };

/**
 * nodemailer's SMTP client dot-stuffs a mail (and turns bare CR and LF into CRLF) with a
 * JavaScript loop over every byte: delivering a 25 MiB mail, that loop was ~55 % of the relay's
 * thread (issue 13, docs/performance.md). This is the same transform visiting only the
 * positions where the loop could insert anything — the start of the chunk, each CR or LF (found
 * with Buffer.indexOf) and the byte after it — with the loop's rules in the loop's order, so its
 * output is the same byte for byte. It applies only to the version it was written for
 * (requireSource); test/unit/dot-stuffing-patch.test.ts compares it with the original on random
 * input and chunking.
 */
export function installDotStuffingPatch(proto = DataStream.prototype as Proto): void {
  replaceMethod(proto, '_transform', transform, {
    sha256: ORIGINAL,
    what: 'nodemailer’s smtp-connection DataStream._transform',
    patch: 'src/main/delivery/dot-stuffing-patch.ts',
  });
}

function transform(
  this: DataStream,
  input: Buffer | string,
  _encoding: BufferEncoding,
  done: TransformCallback,
): void {
  if (!input?.length) {
    done();
    return;
  }
  const chunk = typeof input === 'string' ? Buffer.from(input) : input;
  this.inByteCount += chunk.length;
  const len = chunk.length;
  const chunks: Buffer[] = [];
  let chunklen = 0;
  let lastPos = 0;
  let visited = -1;
  /** The loop's body for position i (each position once, in increasing order). */
  const visit = (i: number) => {
    if (i <= visited || i >= len) return;
    visited = i;
    const byte = chunk[i];
    const prev = i ? chunk[i - 1] : this.lastByte;
    let insert: Buffer | undefined;
    if (prev === CR && byte !== LF) {
      // a bare CR becomes CRLF; a dot after it is stuffed like at the start of any line
      insert = byte === DOT ? INSERT_LF_DOT : INSERT_LF;
    } else if (byte === LF && prev !== CR) {
      insert = INSERT_CR;
    } else if (byte === DOT && (prev === LF || prev === false)) {
      insert = INSERT_DOT;
    }
    if (!insert) return;
    if (i > lastPos) {
      const buf = chunk.subarray(lastPos, i);
      chunks.push(buf);
      chunklen += buf.length;
    }
    chunks.push(insert);
    chunklen += insert.length;
    lastPos = i;
  };
  visit(0);
  let cr = chunk.indexOf(CR);
  let lf = chunk.indexOf(LF);
  while (cr !== -1 || lf !== -1) {
    let at: number;
    if (lf === -1 || (cr !== -1 && cr < lf)) {
      at = cr;
      cr = chunk.indexOf(CR, at + 1);
    } else {
      at = lf;
      visit(at);
      lf = chunk.indexOf(LF, at + 1);
    }
    visit(at + 1);
  }
  if (chunks.length) {
    if (lastPos < len) {
      const buf = chunk.subarray(lastPos);
      chunks.push(buf);
      chunklen += buf.length;
    }
    this.outByteCount += chunklen;
    this.push(Buffer.concat(chunks, chunklen));
  } else {
    this.outByteCount += len;
    this.push(chunk);
  }
  this.lastByte = chunk[len - 1] ?? false;
  done();
}
