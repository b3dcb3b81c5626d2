import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { DataNormalizer } from '../../src/main/intake/data-normalizer';

/** Feeds the chunks through a normalizer and returns its output and flags. */
async function normalize(chunks: string[], maxBytes = 1 << 20) {
  const n = new DataNormalizer(maxBytes);
  const out: Buffer[] = [];
  await pipeline(Readable.from(chunks.map((c) => Buffer.from(c, 'latin1'))), n, async (source) => {
    for await (const c of source) out.push(c as Buffer);
  });
  return {
    text: Buffer.concat(out).toString('latin1'),
    smuggling: n.smuggling,
    oversized: n.oversized,
    bytes: n.bytes,
  };
}

describe('the data normalizer', () => {
  it('leaves CRLF text as it is', async () => {
    expect((await normalize(['a\r\nb\r\n'])).text).toBe('a\r\nb\r\n');
  });

  it('turns bare LF and bare CR into CRLF, also across chunk boundaries', async () => {
    expect((await normalize(['a\nb\rc\r', '\nd\r', 'e\r'])).text).toBe('a\r\nb\r\nc\r\nd\r\ne\r\n');
  });

  it('flags a lone dot line next to a bare line ending, wherever the chunks split', async () => {
    expect((await normalize(['x\n.\ny\r\n'])).smuggling).toBe(true);
    expect((await normalize(['x\r\n.\ny\r\n'])).smuggling).toBe(true);
    expect((await normalize(['x\n', '.', '\r\ny\r\n'])).smuggling).toBe(true);
    expect((await normalize(['x\r.\ry\r\n'])).smuggling).toBe(true);
  });

  it('does not flag dots that are content', async () => {
    expect((await normalize(['x\r\n.\r\ny\r\n'])).smuggling).toBe(false);
    expect((await normalize(['x\n..\ny\n'])).smuggling).toBe(false);
    expect((await normalize(['x\n.5 percent\n'])).smuggling).toBe(false);
  });

  it('stops passing data on once the size limit is passed, but keeps counting', async () => {
    const r = await normalize(['12345', '67890', 'abc'], 8);
    expect(r).toMatchObject({ oversized: true, bytes: 13, text: '12345' });
  });
});
