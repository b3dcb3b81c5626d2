import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { MAX_MIME_DEPTH, MAX_MIME_PARTS, MimeLimit } from '../../src/main/inspect/mime-limit';
import { deepMail, wideMail } from '../helpers/mime-fixtures';

const CORPUS = join(__dirname, '../fixtures/bounce-corpus/eml');

/** Runs `mail` through MimeLimit in chunks of `chunkSize` bytes. */
async function limited(mail: Buffer, chunkSize = 997): Promise<{ copy: Buffer; cut: MimeLimit['cut'] }> {
  const limit = new MimeLimit();
  const chunks: Buffer[] = [];
  for (let i = 0; i < mail.length; i += chunkSize) chunks.push(mail.subarray(i, i + chunkSize));
  const out: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    Readable.from(chunks)
      .pipe(limit)
      .on('data', (d: Buffer) => out.push(d))
      .on('end', resolve)
      .on('error', reject);
  });
  return { copy: Buffer.concat(out), cut: limit.cut };
}

describe('MimeLimit', () => {
  it('passes every mail of the bounce corpus through byte for byte, in any chunking', async () => {
    const files = readdirSync(CORPUS).filter((f) => f.endsWith('.eml'));
    expect(files.length).toBeGreaterThan(200);
    for (const file of files) {
      const mail = readFileSync(join(CORPUS, file));
      for (const size of [1, 61, 64 * 1024]) {
        if (size === 1 && mail.length > 20_000) continue;
        const { copy, cut } = await limited(mail, size);
        expect(cut, file).toEqual({ depth: false, parts: false });
        expect(copy.equals(mail), `${file} in chunks of ${size}`).toBe(true);
      }
    }
  });

  it(`keeps a mail nested ${MAX_MIME_DEPTH} containers deep whole and leaves out what lies deeper`, async () => {
    // The top multipart is one container: 49 more put the bottom text at depth 50.
    const fits = deepMail(MAX_MIME_DEPTH - 1);
    const kept = await limited(fits);
    expect(kept.cut.depth).toBe(false);
    expect(kept.copy.equals(fits)).toBe(true);

    const deep = await limited(deepMail(2_000));
    expect(deep.cut).toEqual({ depth: true, parts: false });
    const parsed = await simpleParser(deep.copy);
    expect(parsed.text).toContain('Top text');
    expect(parsed.text).not.toContain('Bottom text');
    expect(deep.copy.toString()).toContain('--top--');
    expect(deep.copy.toString()).not.toContain(`level-${MAX_MIME_DEPTH}"`);
  });

  it('counts embedded messages as levels', async () => {
    let mail = 'Content-Type: text/plain\r\n\r\nInnermost\r\n';
    for (let i = 0; i < 200; i++)
      mail = `Subject: wrapper ${i}\r\nContent-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n${mail}`;
    const { copy, cut } = await limited(Buffer.from(`From: a@example.com\r\n${mail}`));
    expect(cut.depth).toBe(true);
    expect(copy.toString()).toContain('wrapper 199');
    expect(copy.toString()).not.toContain('Innermost');
    await expect(simpleParser(copy)).resolves.toBeDefined();
  });

  it(`keeps the first ${MAX_MIME_PARTS} parts of a mail with 1,200`, async () => {
    const { copy, cut } = await limited(wideMail(1_200));
    expect(cut).toEqual({ depth: false, parts: true });
    const parsed = await simpleParser(copy);
    // The mail itself is one of the parts.
    expect(parsed.attachments).toHaveLength(MAX_MIME_PARTS - 1);
    expect(parsed.attachments.at(-1)?.filename).toBe(`part-${MAX_MIME_PARTS - 2}.bin`);
  });

  it('passes a mail with a closing delimiter in its preamble and an inner multipart never closed through whole', async () => {
    const mail = Buffer.from(
      'Content-Type: multipart/mixed; boundary=a\r\n\r\n--a--\r\n--a\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nInner, never closed\r\n--a\r\nContent-Type: text/plain\r\n\r\nSecond of a\r\n--a--\r\nEpilogue\r\n--a\r\nnot a part\r\n',
    );
    const { copy, cut } = await limited(mail);
    expect(cut).toEqual({ depth: false, parts: false });
    expect(copy.equals(mail)).toBe(true);
    const parsed = await simpleParser(copy);
    expect(parsed.text).toContain('Second of a');
  });
});
