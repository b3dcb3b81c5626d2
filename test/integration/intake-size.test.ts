import { closeSync, createReadStream, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { SendingDomain } from '@shared/domain/sending-domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dnsRecordsOf, verifyWithDkimpy, verifyWithMailauth } from '../helpers/dkim';
import { tempDir } from '../helpers/engine';
import { currentRss, type HeadlessRelay, startHeadless } from '../helpers/headless';
import { createSender } from '../helpers/sender';
import { SmtpSession } from '../helpers/smtp-session';
import { authArgs, swaks } from '../helpers/swaks';

const MiB = 1024 * 1024;
let dir: string;
let relay: HeadlessRelay;
let access: { username: string; password: string };

/** Writes a mail of about `bytes` bytes, 76-character base64-like lines, without holding it in memory. */
function writeMail(path: string, bytes: number, subject: string): void {
  const fd = openSync(path, 'w');
  writeSync(fd, `From: shop@example.com\r\nTo: big@example.org\r\nSubject: ${subject}\r\n\r\n`);
  const line = `${'QUJD'.repeat(19)}\r\n`;
  const block = line.repeat(Math.floor(MiB / line.length));
  for (let written = 0; written < bytes; written += block.length) writeSync(fd, block);
  closeSync(fd);
}

beforeAll(async () => {
  dir = tempDir();
  relay = await startHeadless(join(dir, 'data'));
  await relay.call('queue.pause', {});
  ({ access } = await createSender(relay.call, {
    name: 'Big attachments',
  }));
});
afterAll(async () => {
  await relay.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Highest resident memory of `pid` while `work` runs, sampled every 5 ms, minus the level before it. */
async function rssGrowthDuring(pid: number, work: () => Promise<unknown>): Promise<number> {
  const before = currentRss(pid);
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, currentRss(pid));
  }, 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, currentRss(pid)) - before;
}

async function loggedInSession(): Promise<SmtpSession> {
  const session = await SmtpSession.loggedIn(relay.smtpPort, access);
  expect(await session.command('MAIL FROM:<shop@example.com>')).toMatch(/^250/);
  expect(await session.command('RCPT TO:<big@example.org>')).toMatch(/^250/);
  return session;
}

describe('message size limit', () => {
  it('refuses a 31 MiB mail with 552 5.3.4 (swaks) and stores nothing of it', async () => {
    const file = join(dir, 'big.eml');
    writeMail(file, 31 * MiB, 'Too big');
    const r = await swaks(relay.smtpPort, [
      ...authArgs(access),
      '--from',
      'shop@example.com',
      '--to',
      'big@example.org',
      '--data',
      `@${file}`,
    ]);
    expect(
      r.replies.some((l) => /^552 5\.3\.4 /.test(l)),
      r.replies.join('\n'),
    ).toBe(true);
    const { items } = await relay.call<{ items: unknown[] }>('messages.search', { text: 'Too big' });
    expect(items).toHaveLength(0);
  });

  it('streams a 31 MiB mail through without the server holding it: its memory grows far less than the mail', async () => {
    const file = join(dir, 'big-raw.eml');
    writeMail(file, 31 * MiB, 'Too big, raw');
    const session = await loggedInSession();
    let reply = '';
    const growth = await rssGrowthDuring(relay.pid, async () => {
      reply = await session.data(createReadStream(file));
    });
    session.close();
    expect(reply).toMatch(/^552 5\.3\.4 /);
    // Holding the mail would add at least its 31 MiB.
    expect(growth).toBeLessThan(12 * MiB);
  });

  it('accepts a 29 MiB mail, stores it whole, and does not hold it in memory either', async () => {
    const file = join(dir, 'large.eml');
    writeMail(file, 29 * MiB, 'Just fits');
    const session = await loggedInSession();
    let reply = '';
    const growth = await rssGrowthDuring(relay.pid, async () => {
      reply = await session.data(createReadStream(file));
    });
    session.close();
    expect(reply).toMatch(/^250 2\.0\.0 Ok: queued as /);
    expect(growth).toBeLessThan(12 * MiB);
    const id = reply.split(' ').pop() ?? '';
    const raw = await relay.call<{ size: number; truncated: boolean }>('messages.raw', {
      id,
      maxBytes: 1024,
    });
    expect(raw.size).toBeGreaterThan(29 * MiB);
    expect(raw.truncated).toBe(true);
  });

  it('signs a 25 MiB mail while the server grows by far less than 64 MiB, and the signature verifies', async () => {
    const file = join(dir, 'signed.eml');
    writeMail(file, 25 * MiB, 'Signed big one');
    const session = await loggedInSession();
    let reply = '';
    const growth = await rssGrowthDuring(relay.pid, async () => {
      reply = await session.data(createReadStream(file));
    });
    session.close();
    expect(reply).toMatch(/^250 2\.0\.0 Ok: queued as /);
    expect(growth).toBeLessThan(64 * MiB);
    const id = reply.split(' ').pop() ?? '';
    // The mail as it will be sent, byte for byte, through the API the console saves it with.
    const source = await relay.call<{ raw: string; size: number; truncated: boolean }>('messages.raw', {
      id,
      maxBytes: 64 * MiB,
      encoding: 'base64',
    });
    expect(source.truncated).toBe(false);
    const stored = join(dir, 'stored.eml');
    writeFileSync(stored, Buffer.from(source.raw, 'base64'));
    const records = dnsRecordsOf(await relay.call<SendingDomain[]>('domains.list'));
    const [dkimpy, mailauth] = await Promise.all([
      verifyWithDkimpy(stored, records, dir),
      verifyWithMailauth(stored, records),
    ]);
    expect([...dkimpy, ...mailauth].map((r) => r.ok)).toEqual([true, true]);
  });
});
