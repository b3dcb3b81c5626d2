import { Readable, type Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A seeded generator (mulberry32): a failing random case can be run again. */
export function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Splits `data` into chunks of 1…max bytes. */
export function chunked(data: Buffer, next: () => number, max: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; ) {
    const n = 1 + Math.floor(next() * max);
    out.push(data.subarray(i, i + n));
    i += n;
  }
  return out;
}

/** Random bytes drawn from `alphabet` (strings of one or more bytes), about `length` long. */
export function randomBytes(next: () => number, alphabet: string[], length: number): Buffer {
  let out = '';
  while (out.length < length) out += alphabet[Math.floor(next() * alphabet.length)];
  return Buffer.from(out, 'latin1');
}

/** Feeds these chunks through a transform stream; resolves with everything it passed on. */
export async function through(stream: Transform, chunks: Buffer[]): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(chunks),
    stream,
    new Writable({
      write(chunk: Buffer, _enc, done) {
        out.push(chunk);
        done();
      },
    }),
  );
  return Buffer.concat(out);
}
