import { SMTPStream } from 'smtp-server/lib/smtp-stream';
import { describe, expect, it } from 'vitest';
import { installDataScanPatch } from '../../src/main/intake/data-scan-patch';
import { chunked, randomBytes, seeded } from '../helpers/seeded';

type Feed = SMTPStream['_feedDataStream'];
const proto = SMTPStream.prototype;
const original = proto._feedDataStream;
installDataScanPatch();
const patched = proto._feedDataStream;

interface Received {
  data: string;
  byteLength: number;
  commands: string[];
}

/** DATA followed by further commands, fed in these chunks: what the server reads as the mail and after it. */
async function receive(feed: Feed, chunks: Buffer[]): Promise<Received> {
  const stream = new SMTPStream();
  stream._feedDataStream = feed;
  const commands: string[] = [];
  stream.oncommand = (command: Buffer, done?: () => void) => {
    commands.push(command.toString('latin1'));
    done?.();
  };
  const dataStream = stream.startDataMode(1 << 30);
  const parts: Buffer[] = [];
  dataStream.on('data', (c: Buffer) => parts.push(c));
  const ended = new Promise<void>((resolve) => dataStream.once('end', () => resolve()));
  let over = false;
  void ended.then(() => {
    over = true;
    stream.continue();
  });
  for (const chunk of chunks) await new Promise<void>((resolve) => stream.write(chunk, () => resolve()));
  await new Promise<void>((resolve) => stream.end(() => resolve()));
  if (over) await ended;
  return {
    data: Buffer.concat(parts).toString('latin1'),
    byteLength: (dataStream as unknown as { byteLength: number }).byteLength,
    commands,
  };
}

describe('the DATA scan patch of smtp-server', () => {
  it('is installed over the original, once', () => {
    expect(patched).not.toBe(original);
    installDataScanPatch();
    expect(proto._feedDataStream).toBe(patched);
  });

  it('reads the same mail, size and following commands as the original, for 500 random inputs in random chunks', async () => {
    const next = seeded(11);
    // Terminators, escape dots and near-misses (the smuggling shapes among them), between text.
    const alphabet = [
      '\r\n',
      '\r\n.\r\n',
      '\r\n..',
      '.',
      '..\r\n',
      '\n.\r\n',
      '\r.\r',
      'abc',
      'QUIT\r\n',
      'x',
    ];
    for (let i = 0; i < 500; i++) {
      const data = Buffer.concat([
        randomBytes(next, alphabet, Math.floor(next() * 300)),
        Buffer.from('\r\n.\r\nNOOP\r\n'),
      ]);
      const chunks = chunked(data, next, [1, 2, 5, 64, 4096][i % 5] ?? 1);
      const expected = await receive(original, chunks);
      expect(
        await receive(patched, chunks),
        `input ${i}: ${JSON.stringify(data.toString('latin1'))}`,
      ).toEqual(expected);
    }
  });

  it('reads a 4 MiB mail with dotted lines as the original does', async () => {
    const line = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\r\n..dotted line\r\n';
    const data = Buffer.from(`Subject: big\r\n\r\n${line.repeat(80_000)}\r\n.\r\nQUIT\r\n`);
    const chunks = chunked(data, () => 1, 16_384);
    const expected = await receive(original, chunks);
    expect(expected.data).toContain('\r\n.dotted line\r\n');
    expect(await receive(patched, chunks)).toEqual(expected);
  });
});
