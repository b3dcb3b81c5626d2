import {
  closeSync,
  createReadStream,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { SendingDomain } from '@shared/domain/sending-domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dnsRecordsOf, verifyWithDkimpy, verifyWithMailauth } from '../helpers/dkim';
import { createConnection, startRelay, type TestRelay, tempDir } from '../helpers/engine';
import { mailer } from '../helpers/mailer';
import { SmtpSession } from '../helpers/smtp-session';
import { sendWithSmtplib } from '../helpers/smtplib';
import { authArgs, swaks } from '../helpers/swaks';

let relay: TestRelay;
let work: string;
let access: { username: string; password: string };
let records: Record<string, string>;

beforeAll(async () => {
  relay = await startRelay({ deliver: false });
  work = tempDir('relaydesk-dkim-');
  const sender = await createConnection(relay, { name: 'Webshop' }, 'example.com');
  access = sender.access;
  // example.com signs twice: RSA (made with the domain) and Ed25519.
  await relay.call('domains.generateKey', { domainId: sender.domain.id, algorithm: 'ed25519-sha256' });
  const edOnly = await relay.call('domains.create', {
    domain: 'ed-only.example',
    listHelp: 'mailto:help@ed-only.example',
    key: { algorithm: 'ed25519-sha256' },
    connectionIds: [sender.connection.id],
  });
  expect(edOnly.keys.map((k) => k.algorithm)).toEqual(['ed25519-sha256']);
  records = dnsRecordsOf((await relay.call('domains.list', {})) as SendingDomain[]);
});
afterAll(async () => {
  await relay.dispose();
  rmSync(work, { recursive: true, force: true });
});

const queuedId = (reply: string) => /queued as (\w+)/.exec(reply)?.[1] ?? '';

/** The stored mail must carry `count` signatures, and both verifiers must accept every one. */
async function expectVerified(id: string, count: number, domain = 'example.com'): Promise<string> {
  expect(id).not.toBe('');
  // The stored mail, as sent, in a file of its own for the verifiers.
  const file = join(work, `${id}.eml`);
  writeFileSync(file, await relay.engine.context.spool.readAll(id));
  const [dkimpy, mailauth] = await Promise.all([
    verifyWithDkimpy(file, records, work),
    verifyWithMailauth(file, records),
  ]);
  expect(dkimpy).toHaveLength(count);
  expect(mailauth).toHaveLength(count);
  for (const r of [...dkimpy, ...mailauth])
    expect(r, JSON.stringify(r)).toMatchObject({ d: domain, ok: true });
  return file;
}

/** Sends exact bytes as DATA through a logged-in raw session (dot-stuffing applied) and returns the reply. */
async function sendRaw(data: Buffer, from = 'shop@example.com'): Promise<string> {
  const session = await SmtpSession.loggedIn(relay.smtpPort, access);
  expect(await session.command(`MAIL FROM:<${from}>`)).toMatch(/^250/);
  expect(await session.command('RCPT TO:<customer@example.org>')).toMatch(/^250/);
  expect(await session.command('DATA')).toMatch(/^354/);
  const stuffed = Buffer.from(data.toString('latin1').replace(/(^|\n)\./g, '$1..'), 'latin1');
  session.write(stuffed);
  session.write(stuffed.subarray(-2).toString() === '\r\n' ? '.\r\n' : '\r\n.\r\n');
  const reply = await session.reply(120_000);
  session.close();
  return reply;
}

describe('DKIM signatures at intake, checked by dkimpy and mailauth', () => {
  it('sign a plain-text mail with RSA and Ed25519', async () => {
    const info = await mailer(relay.smtpPort, access).sendMail({
      from: 'Webshop <shop@example.com>',
      to: 'customer@example.org',
      subject: 'Your order 1001',
      text: 'Thank you for your order.\nIt ships tomorrow.',
    });
    const file = await expectVerified(queuedId(info.response), 2);
    const head = readFileSync(file, 'latin1').split('\r\n\r\n')[0] ?? '';
    expect(head).toMatch(/^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=example\.com;/);
    expect(head).toMatch(/\r\nDKIM-Signature: v=1; a=ed25519-sha256; c=relaxed\/relaxed; d=example\.com;/);
    // From is oversigned: listed once more than it occurs.
    const h = /h=([^;]+);/.exec(head.replace(/\r\n\s+/g, ' '))?.[1]?.replace(/\s+/g, '');
    expect(h).toBe(
      'from:from:to:subject:date:message-id:mime-version:content-type:content-transfer-encoding:list-help',
    );
    // The mail as it will be delivered carries Relaydesk's own Received: field, right below the
    // signatures and not signed itself (h= above), and both verifiers accept the signatures.
    const fields = head.replace(/\r\n[ \t]+/g, ' ').split('\r\n');
    expect(fields.slice(0, 3).map((f) => f.split(':')[0])).toEqual([
      'DKIM-Signature',
      'DKIM-Signature',
      'Received',
    ]);
    expect(fields[2]).toMatch(
      new RegExp(
        `^Received: from \\S+ \\(\\[127\\.0\\.0\\.1\\]\\) by \\S+ \\(Relaydesk\\) with ESMTPSA \\(TLSv1\\.[23] \\S+\\) id ${queuedId(info.response)}; `,
      ),
    );
  });

  it('sign HTML with attachments (multipart/mixed with multipart/alternative)', async () => {
    const info = await mailer(relay.smtpPort, access).sendMail({
      from: 'shop@example.com',
      to: 'customer@example.org',
      cc: 'accounts@example.org',
      replyTo: 'service@example.com',
      subject: 'Invoice 2026-0042 — Grüße',
      text: 'Your invoice is attached.',
      html: '<h1>Invoice</h1><p>Your invoice is <b>attached</b>.</p>',
      attachments: [
        { filename: 'invoice.pdf', content: Buffer.alloc(40_000, 7), contentType: 'application/pdf' },
        { filename: 'logo.png', content: Buffer.from('89504e470d0a1a0a', 'hex') },
      ],
    });
    const file = await expectVerified(queuedId(info.response), 2);
    const raw = readFileSync(file, 'latin1');
    expect(raw).toMatch(/Content-Type: multipart\/mixed/);
    expect(raw).toMatch(/Content-Type: multipart\/alternative/);
  });

  it('sign an 8-bit ISO-8859-1 body and store its bytes unchanged', async () => {
    const body = Buffer.from('Grüße aus Köln, ½ Preis für Ihre Bestellung.\r\nÄÖÜ äöü ß\r\n', 'latin1');
    const head = Buffer.from(
      'From: shop@example.com\r\nTo: customer@example.org\r\nSubject: Latin-1\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n',
    );
    const file = await expectVerified(queuedId(await sendRaw(Buffer.concat([head, body]))), 2);
    expect(readFileSync(file).subarray(-body.length).equals(body)).toBe(true);
  });

  it('sign a mail with an empty body, and one that is all header', async () => {
    await expectVerified(
      queuedId(
        await sendRaw(
          Buffer.from('From: shop@example.com\r\nTo: customer@example.org\r\nSubject: Empty\r\n\r\n'),
        ),
      ),
      2,
    );
    await expectVerified(
      queuedId(await sendRaw(Buffer.from('From: shop@example.com\r\nSubject: No body at all\r\n'))),
      2,
    );
  });

  it('sign lines near the 998-character limit, with trailing spaces and tabs', async () => {
    const lines = [998, 997, 990, 500].map((n, i) => `${String(i)}${'x'.repeat(n - 1 - 3)} \t `);
    const mail = `From: shop@example.com\r\nTo: customer@example.org\r\nSubject: Long lines\r\n\r\n${lines.join('\r\n')}\r\n\r\n\r\n`;
    await expectVerified(queuedId(await sendRaw(Buffer.from(mail))), 2);
  });

  it('sign a mail whose client mixed LF and CRLF line endings, stored with CRLF throughout', async () => {
    const mail =
      'From: shop@example.com\nTo: customer@example.org\r\nSubject: Mixed\n\nline one\nline two\r\nline three\rline four\r\n';
    const file = await expectVerified(queuedId(await sendRaw(Buffer.from(mail))), 2);
    const stored = readFileSync(file, 'latin1');
    expect(stored.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(stored.endsWith('\r\n\r\nline one\r\nline two\r\nline three\r\nline four\r\n')).toBe(true);
  });

  it('sign a 20 MiB mail', async () => {
    const path = join(work, 'twenty.eml');
    const fd = openSync(path, 'w');
    writeSync(
      fd,
      'From: shop@example.com\r\nTo: customer@example.org\r\nSubject: Twenty\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n',
    );
    const line = `${'QUJDRA'.repeat(12)}\r\n`;
    const block = line.repeat(10_000);
    for (let n = 0; n < 20 * 1024 * 1024; n += block.length) writeSync(fd, block);
    closeSync(fd);
    const session = await SmtpSession.loggedIn(relay.smtpPort, access);
    await session.command('MAIL FROM:<shop@example.com>');
    await session.command('RCPT TO:<customer@example.org>');
    const reply = await session.data(createReadStream(path));
    session.close();
    await expectVerified(queuedId(reply), 2);
  });

  it('sign with an Ed25519 key alone', async () => {
    const info = await mailer(relay.smtpPort, access).sendMail({
      from: 'news@ed-only.example',
      to: 'customer@example.org',
      subject: 'Ed25519 only',
      text: 'Signed with Ed25519.',
    });
    await expectVerified(queuedId(info.response), 1, 'ed-only.example');
  });

  it('sign mail sent by swaks', async () => {
    const r = await swaks(relay.smtpPort, [
      ...authArgs(access),
      '--from',
      'shop@example.com',
      '--to',
      'customer@example.org',
      '--header',
      'Subject: From swaks',
    ]);
    await expectVerified(queuedId(r.replies.find((l) => l.startsWith('250 2.0.0')) ?? ''), 2);
  });

  it("sign mail sent by Python's smtplib", async () => {
    const path = join(work, 'smtplib.eml');
    writeFileSync(
      path,
      'From: Shop <shop@example.com>\r\nTo: customer@example.org\r\nSubject: From smtplib\r\n\r\nHello from Python.\r\n',
    );
    const out = await sendWithSmtplib(
      relay.smtpPort,
      access,
      'shop@example.com',
      'customer@example.org',
      path,
    );
    expect(out).toMatch(/^250 2\.0\.0 Ok: queued as \w+/);
    await expectVerified(queuedId(out), 2);
  });
});
