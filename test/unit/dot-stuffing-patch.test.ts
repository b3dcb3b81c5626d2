import type { TransformCallback } from 'node:stream';
import DataStream from 'nodemailer/lib/smtp-connection/data-stream';
import { describe, expect, it } from 'vitest';
import { installDotStuffingPatch } from '../../src/main/delivery/dot-stuffing-patch';
import { chunked, randomBytes, seeded, through } from '../helpers/seeded';

type Transform = (chunk: Buffer, encoding: BufferEncoding, done: TransformCallback) => void;
const proto = DataStream.prototype as unknown as { _transform: Transform };
const original = proto._transform;
installDotStuffingPatch();
const patched = proto._transform;

/** nodemailer's stream with the given _transform: what goes on the wire for these chunks. */
async function wire(transform: Transform, chunks: Buffer[]): Promise<Buffer> {
  const stream = new DataStream();
  (stream as unknown as { _transform: Transform })._transform = transform;
  return through(stream, chunks);
}

describe('the dot-stuffing patch of nodemailer’s SMTP client', () => {
  it('is installed over the original, once', () => {
    expect(patched).not.toBe(original);
    installDotStuffingPatch();
    expect(proto._transform).toBe(patched);
  });

  it('puts on the wire exactly what the original does, for 500 random mails in random chunks', async () => {
    const next = seeded(7);
    // Line ends of every kind, dots where they matter, and plain text between them.
    const alphabet = ['\r\n', '\r', '\n', '.', '..', '\r\n.', '\n.', '\r.', 'abc', 'x', ' ', '\r\n.\r\n'];
    for (let i = 0; i < 500; i++) {
      const data = randomBytes(next, alphabet, 1 + Math.floor(next() * 400));
      const chunks = chunked(data, next, [1, 2, 7, 64, 4096][i % 5] ?? 1);
      const expected = await wire(original, chunks);
      expect(
        (await wire(patched, chunks)).equals(expected),
        `mail ${i}: ${JSON.stringify(data.toString('latin1'))}`,
      ).toBe(true);
    }
  });

  it('turns a stored mail into the same wire bytes as the original, 1 MiB at a time', async () => {
    const line = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\r\n.dotted line\r\n';
    const data = Buffer.from(`Subject: big\r\n\r\n${line.repeat(40_000)}`);
    const chunks = chunked(data, () => 1, 1 << 20);
    expect((await wire(patched, chunks)).equals(await wire(original, chunks))).toBe(true);
  });
});
