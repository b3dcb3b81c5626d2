import { createHash } from 'node:crypto';
import { BodyHashStream } from 'mailauth/lib/dkim/body';
import { describe, expect, it } from 'vitest';
import { RelaxedBodyHash } from '../../src/main/dkim/relaxed-body-hash';
import { chunked, seeded, through } from '../helpers/seeded';

/** The body hash and the bytes passed on, for `data` fed in these chunks. */
async function hashOf(
  make: () => RelaxedBodyHash | BodyHashStream,
  chunks: Buffer[],
): Promise<{ hash: string | null | undefined; passed: Buffer }> {
  const hasher = make();
  const passed = await through(hasher, chunks);
  return { hash: hasher.bodyHash, passed };
}

const reference = async (data: Buffer) =>
  (await hashOf(() => new BodyHashStream('relaxed', 'sha256'), [data])).hash;

/** Bodies with CRLF line ends only (what the intake's normaliser hands on), full of whitespace cases. */
function body(next: () => number, longLines: boolean): Buffer {
  const pieces = ['a', 'xyz', ' ', '\t', '  ', ' \t ', '.', 'é', '='];
  const lines: string[] = [];
  const count = Math.floor(next() * 12);
  for (let l = 0; l < count; l++) {
    const roll = next();
    if (roll < 0.2) lines.push('');
    else if (roll < 0.3) lines.push(' \t '.repeat(1 + Math.floor(next() * 3)));
    else if (roll < 0.35 && longLines)
      lines.push(`${'ab \t'.repeat(20_000 + Math.floor(next() * 20_000))}  `);
    else {
      let line = '';
      for (let p = Math.floor(next() * 8); p > 0; p--) line += pieces[Math.floor(next() * pieces.length)];
      lines.push(line);
    }
  }
  // Ending with CRLF, as every body received over SMTP does.
  return Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'latin1');
}

describe('the relaxed body hash', () => {
  it('equals mailauth’s for the edge cases of RFC 6376 §3.4.4', async () => {
    const cases = [
      '',
      '\r\n',
      '\r\n\r\n\r\n',
      'a\r\n',
      'a \r\n\r\n \r\n\t\r\n',
      ' a  b\t\tc \r\n',
      '\r\n\r\nx\r\n\r\n',
      `${'y'.repeat(200_000)}   \r\n\r\n`,
      `${' '.repeat(100_000)}\r\n`,
      `${'z \t'.repeat(50_000)}\r\n\r\n`,
    ];
    for (const text of cases) {
      const data = Buffer.from(text, 'latin1');
      const expected = await reference(data);
      for (const size of data.length > 1000 ? [999, 16_384, 1 << 20] : [1, 2, 3, 7, 16_384]) {
        const { hash, passed } = await hashOf(
          () => new RelaxedBodyHash(),
          chunked(data, () => 1, size),
        );
        expect(hash, `${JSON.stringify(text.slice(0, 40))} in chunks of ${size}`).toBe(expected);
        expect(passed.equals(data)).toBe(true);
      }
    }
  });

  it('ends a last line that lacks its CRLF as dkimpy does: whitespace made one space and kept, CRLF added', async () => {
    // Never over SMTP (the terminator's CRLF ends the body); dkimpy's canonical forms, checked by hand.
    const cases: [string, string][] = [
      ['a', 'a\r\n'],
      ['x  ', 'x \r\n'],
      ['  \t ', ' \r\n'],
      ['x\r\n\r\n ', 'x\r\n\r\n \r\n'],
      [`${'z \t'.repeat(50_000)}`, `${'z '.repeat(49_999)}z \r\n`],
    ];
    for (const [text, canonical] of cases) {
      const data = Buffer.from(text, 'latin1');
      const expected = createHash('sha256').update(canonical, 'latin1').digest('base64');
      for (const size of data.length > 1000 ? [999, 16_384, 1 << 20] : [1, 3, 16_384]) {
        const { hash } = await hashOf(
          () => new RelaxedBodyHash(),
          chunked(data, () => 1, size),
        );
        expect(hash, `${JSON.stringify(text.slice(0, 40))} in chunks of ${size}`).toBe(expected);
      }
    }
  });

  it('equals mailauth’s for 300 random bodies in random chunks', async () => {
    const next = seeded(13);
    for (let i = 0; i < 300; i++) {
      const max = [1, 5, 64, 16_384, 100_000][i % 5] ?? 1;
      // Lines past the 64 KiB held whole only where the chunks are large enough to keep this quick.
      const data = body(next, max >= 16_384);
      const expected = await reference(data);
      const { hash } = await hashOf(() => new RelaxedBodyHash(), chunked(data, next, max));
      expect(
        hash,
        `body ${i} ${JSON.stringify(data.toString('latin1'))} (${data.length} bytes, chunks ≤ ${max})`,
      ).toBe(expected);
    }
  });
});
