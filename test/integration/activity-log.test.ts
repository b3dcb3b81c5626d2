import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { PushEvent } from '@shared/api/contract';
import type { ActivityEntry } from '@shared/domain/activity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection, startRelay, type TestRelay, tempDir } from '../helpers/engine';
import { mailer } from '../helpers/mailer';
import { SmtpSession } from '../helpers/smtp-session';
import { sendWithSmtplib } from '../helpers/smtplib';
import { swaksWrongLogin } from '../helpers/swaks';

let relay: TestRelay;
let access: { username: string; password: string };
let connectionId: string;
const work = tempDir('relaydesk-activity-');

beforeAll(async () => {
  relay = await startRelay({ deliver: false });
  const sender = await createConnection(relay, { name: 'Webshop' });
  access = sender.access;
  connectionId = sender.connection.id;
});
afterAll(() => relay.dispose());

const search = (params: Parameters<typeof relay.call<'activity.search'>>[1]) =>
  relay.call('activity.search', params);

/** The entries of `category`, newest first. */
const entriesOf = async (category: ActivityEntry['category']) => (await search({ category })).items;

/** Python's smtplib: STARTTLS, login, one mail to `to`; fails when the relay refuses it. */
function sendWithPython(to: string): Promise<string> {
  const path = join(work, 'smtplib.eml');
  writeFileSync(path, `From: shop@example.com\r\nTo: ${to}\r\nSubject: Order\r\n\r\nThanks.\r\n`);
  return sendWithSmtplib(relay.smtpPort, access, 'shop@example.com', to, path);
}

describe('the activity log', () => {
  it('records a wrong password (swaks) with the username tried, its connection, AUTH without the credentials and the full reply', async () => {
    const r = await swaksWrongLogin(relay.smtpPort, access.username);
    expect(r.replies.some((l) => l.startsWith('535 5.7.8'))).toBe(true);
    const [entry] = await entriesOf('auth-failed');
    expect(entry).toMatchObject({
      clientAddress: '127.0.0.1',
      username: access.username,
      connectionId,
      connectionName: 'Webshop',
      command: 'AUTH PLAIN',
      reply:
        '535 5.7.8 Authentication credentials invalid: check the username and password of the connection',
      rejectedMail: false,
    });
    const token = Buffer.from(`\0${access.username}\0wrong-password`).toString('base64');
    expect(JSON.stringify(await search({}))).not.toMatch(new RegExp(`wrong-password|${token}`));
  });

  it('records a From: domain the connection may not send from (nodemailer) as a refused sender and a rejected mail', async () => {
    await expect(
      mailer(relay.smtpPort, access).sendMail({
        from: 'shop@elsewhere.example',
        to: 'customer@example.org',
        subject: 'x',
        text: 'x',
      }),
    ).rejects.toMatchObject({ responseCode: 550 });
    const [entry] = await entriesOf('sender-refused');
    expect(entry).toMatchObject({
      connectionId,
      connectionName: 'Webshop',
      username: null,
      command: 'DATA',
      reply:
        '550 5.7.1 "elsewhere.example" is not a sending domain of connection "Webshop"; add it under Domains & DKIM in Relaydesk',
      rejectedMail: true,
    });
  });

  it("records a suppressed recipient (Python's smtplib) with its RCPT TO line as the client sent it", async () => {
    await relay.call('suppressions.add', { address: 'gone@example.org', note: 'asked to stop' });
    await expect(sendWithPython('gone@example.org')).rejects.toThrow(/503|SMTPDataError|refused/i);
    const [entry] = await entriesOf('recipient-suppressed');
    expect(entry).toMatchObject({
      connectionName: 'Webshop',
      // smtplib writes its commands in lower case.
      command: 'rcpt TO:<gone@example.org>',
      rejectedMail: true,
    });
    expect(entry?.reply).toMatch(
      /^550 5\.1\.1 gone@example\.org is on the suppression list since \d{4}-\d\d-\d\d/,
    );
  });

  it('records AUTH and MAIL before STARTTLS as TLS refusals, keeping no credentials', async () => {
    const { session } = await SmtpSession.open(relay.smtpPort);
    await session.command('EHLO client.test');
    expect(await session.command('AUTH PLAIN AGZvbwBiYXI=')).toMatch(/^5\d\d /);
    expect(await session.command('MAIL FROM:<shop@example.com>')).toMatch(
      /^530 5\.7\.0 Must issue a STARTTLS/,
    );
    session.close();
    const [mail, auth] = await entriesOf('tls');
    expect(auth).toMatchObject({ command: 'AUTH PLAIN', connectionId: null, rejectedMail: false });
    expect(mail).toMatchObject({
      command: 'MAIL FROM:<shop@example.com>',
      reply: '530 5.7.0 Must issue a STARTTLS command first',
    });
    expect(JSON.stringify([mail, auth])).not.toContain('AGZvbwBiYXI=');
  });

  it('records a TLS handshake that fails after STARTTLS', async () => {
    const { session } = await SmtpSession.open(relay.smtpPort);
    await session.command('EHLO client.test');
    expect(await session.command('STARTTLS')).toMatch(/^220 /);
    session.write('EHLO this is not a TLS client hello\r\n');
    expect(await session.waitClosed()).toBe(true);
    const deadline = Date.now() + 10_000;
    let entries = await entriesOf('tls');
    while (!entries.some((e) => e.command === 'STARTTLS') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      entries = await entriesOf('tls');
    }
    expect(entries.find((e) => e.command === 'STARTTLS')).toMatchObject({
      clientAddress: '127.0.0.1',
      reply: expect.stringMatching(/^TLS handshake failed: /),
    });
  });

  it('finds entries by connection, client address, text and time, and pages newest first without repeats', async () => {
    expect((await search({ connectionId })).items.map((e) => e.category).sort()).toEqual([
      'auth-failed',
      'protocol',
      'recipient-suppressed',
      'sender-refused',
    ]);
    expect((await search({ text: 'elsewhere' })).items).toHaveLength(1);
    expect((await search({ clientAddress: '10.0.0.1' })).items).toEqual([]);
    expect((await search({ from: Date.now() + 60_000 })).items).toEqual([]);
    const all = (await search({ clientAddress: '127.0.0.1' })).items;
    const paged: number[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const r = await search({ limit: 2, ...(cursor ? { cursor } : {}) });
      paged.push(...r.items.map((e) => e.id));
      if (!r.nextCursor) break;
      cursor = r.nextCursor;
    }
    expect(paged).toEqual(all.map((e) => e.id));
    expect([...paged].sort((a, b) => b - a)).toEqual(paged);
  });

  it('records a mail over the size limit at DATA as a size refusal of a rejected mail', async () => {
    await relay.call('settings.update', { values: { 'smtp.maxMessageBytes': 2048 } });
    try {
      const session = await SmtpSession.loggedIn(relay.smtpPort, access);
      await session.command('MAIL FROM:<shop@example.com>');
      await session.command('RCPT TO:<customer@example.org>');
      const body = `From: shop@example.com\r\nSubject: big\r\n\r\n${'x'.repeat(70)}\r\n`.repeat(60);
      expect(await session.data(Readable.from([body]))).toMatch(/^552 /);
      session.close();
    } finally {
      await relay.call('settings.update', { values: { 'smtp.maxMessageBytes': 31_457_280 } });
    }
    const [entry] = await entriesOf('size');
    expect(entry).toMatchObject({ command: 'DATA', connectionName: 'Webshop', rejectedMail: true });
    expect(entry?.reply).toMatch(/^552 5\.3\.4 /);
  });

  it("counts as rejected mail exactly what the Dashboard's Rejected figure counts", async () => {
    const rejected = (await search({ rejectedMail: true })).items;
    const summary = await relay.call('stats.summary', {});
    // The refused sender, the suppressed recipient and the mail too big.
    expect(rejected.length).toBe(3);
    expect(summary.today.counts.rejected).toBe(rejected.length);
  });

  it('refuses a cursor it did not give out and a time range that ends before it starts', async () => {
    await expect(search({ cursor: 'bm90IGEgbnVtYmVy' })).rejects.toMatchObject({ code: 'invalid_params' });
    await expect(search({ from: 2000, to: 1000 })).rejects.toMatchObject({ code: 'invalid_params' });
  });

  it('pushes new entries to an attached console', async () => {
    const detach = relay.engine.events.attachConsole();
    const seen: PushEvent[] = [];
    const unsubscribe = relay.engine.events.subscribe((e) => {
      if (e.type === 'activity.recorded') seen.push(e);
    });
    try {
      const { session } = await SmtpSession.open(relay.smtpPort);
      expect(await session.command('BOGUS')).toMatch(/^500 /);
      session.close();
      const deadline = Date.now() + 10_000;
      while (seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      const event = seen[0];
      expect(event?.type === 'activity.recorded' && event.data.entries[0]).toMatchObject({
        command: 'BOGUS',
        category: 'protocol',
      });
    } finally {
      unsubscribe();
      detach();
    }
  });

  // Last: it locks 127.0.0.1 out.
  it('records a lockout at connect in its own category, with no command', async () => {
    // The first test's failed login and this one make two.
    await relay.call('settings.update', { values: { 'smtp.authFailureLimit': 2 } });
    expect(
      (await swaksWrongLogin(relay.smtpPort, access.username)).replies.some((l) => l.startsWith('535 ')),
    ).toBe(true);
    const { session, greeting } = await SmtpSession.open(relay.smtpPort);
    session.close();
    expect(greeting).toMatch(/^421 4\.7\.0 Too many failed logins from 127\.0\.0\.1/);
    const [entry] = await entriesOf('lockout');
    expect(entry).toMatchObject({
      clientAddress: '127.0.0.1',
      command: '',
      connectionId: null,
      reply: greeting,
    });
  });
});
