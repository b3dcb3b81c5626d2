import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection, startRelay, type TestRelay } from '../helpers/engine';
import { mailer } from '../helpers/mailer';
import { SmtpSession } from '../helpers/smtp-session';
import { authArgs, swaks } from '../helpers/swaks';

let relay: TestRelay;
let access: { username: string; password: string };

beforeAll(async () => {
  relay = await startRelay({ deliver: false });
  ({ access } = await createConnection(relay, { name: 'Webshop' }));
});
afterAll(() => relay.dispose());

describe('SMTP intake before STARTTLS', () => {
  it('does not offer AUTH, offers STARTTLS, and answers AUTH as unknown', async () => {
    const { session, greeting } = await SmtpSession.open(relay.smtpPort);
    expect(greeting).toMatch(/^220 /);
    const ehlo = await session.command('EHLO client.test');
    expect(ehlo).toContain('STARTTLS');
    expect(ehlo).not.toMatch(/AUTH/);
    expect(await session.command('AUTH PLAIN AGZvbwBiYXI=')).toMatch(/^5\d\d /);
    session.close();
  });

  it('refuses MAIL with 530 5.7.0 Must issue a STARTTLS command first (swaks)', async () => {
    const r = await swaks(relay.smtpPort, [
      '--from',
      'shop@example.com',
      '--to',
      'a@example.org',
      '--quit-after',
      'MAIL',
    ]);
    expect(r.replies).toContain('530 5.7.0 Must issue a STARTTLS command first');
  });

  it('refuses a client that cannot do STARTTLS before it sends anything (nodemailer without TLS)', async () => {
    const t = nodemailer.createTransport({
      host: '127.0.0.1',
      port: relay.smtpPort,
      secure: false,
      ignoreTLS: true,
    });
    await expect(
      t.sendMail({ from: 'shop@example.com', to: 'a@example.org', text: 'x' }),
    ).rejects.toMatchObject({
      responseCode: 530,
    });
  });
});

describe('SMTP intake after STARTTLS', () => {
  it('offers AUTH PLAIN and LOGIN and refuses MAIL without a login', async () => {
    const { session } = await SmtpSession.open(relay.smtpPort);
    await session.command('EHLO client.test');
    await session.startTls();
    const ehlo = await session.command('EHLO client.test');
    expect(ehlo).toMatch(/AUTH PLAIN LOGIN/);
    expect(ehlo).toMatch(/SIZE 31457280/);
    expect(await session.command('MAIL FROM:<shop@example.com>')).toMatch(
      /^530 5\.7\.0 Authentication required/,
    );
    session.close();
  });

  it('refuses MAIL without a login (swaks --tls, no --auth)', async () => {
    const r = await swaks(relay.smtpPort, ['--tls', '--from', 'shop@example.com', '--to', 'a@example.org']);
    expect(r.replies.some((l) => l.startsWith('530 5.7.0 Authentication required'))).toBe(true);
    expect(r.exitCode).not.toBe(0);
  });

  it('answers a wrong password with 535 5.7.8 (swaks and nodemailer)', async () => {
    const r = await swaks(relay.smtpPort, [
      ...authArgs({ username: access.username, password: 'wrong-password' }),
      '--from',
      'shop@example.com',
      '--to',
      'a@example.org',
    ]);
    expect(r.replies.some((l) => l.startsWith('535 5.7.8'))).toBe(true);
    await expect(
      mailer(relay.smtpPort, { username: access.username, password: 'also-wrong' }).sendMail({
        from: 'shop@example.com',
        to: 'a@example.org',
        text: 'x',
      }),
    ).rejects.toMatchObject({ responseCode: 535 });
  });

  it('accepts mail with the right credentials over PLAIN and LOGIN and answers 250 2.0.0 queued as <id>', async () => {
    for (const mech of ['PLAIN', 'LOGIN']) {
      const r = await swaks(relay.smtpPort, [
        ...authArgs(access, mech),
        '--from',
        'shop@example.com',
        '--to',
        'customer@example.org',
        '--header',
        `Subject: Order confirmation via ${mech}`,
      ]);
      const queued = r.replies.find((l) => l.startsWith('250 2.0.0 Ok: queued as '));
      expect(queued, r.output).toBeDefined();
      const id = queued?.split(' ').pop() ?? '';
      const message = await relay.call('messages.get', { id });
      expect(message.subject).toBe(`Order confirmation via ${mech}`);
      expect(message.recipients).toEqual(['customer@example.org']);
      expect(message.status).toBe('queued');
    }
  });
});

describe('SMTP intake checks', () => {
  it('refuses the 51st recipient of one mail with 452 4.5.3', async () => {
    const session = await SmtpSession.loggedIn(relay.smtpPort, access);
    expect(await session.command('MAIL FROM:<shop@example.com>')).toMatch(/^250/);
    for (let i = 1; i <= 50; i++)
      expect(await session.command(`RCPT TO:<c${i}@example.org>`)).toMatch(/^250/);
    expect(await session.command('RCPT TO:<c51@example.org>')).toMatch(
      /^452 4\.5\.3 Too many recipients: at most 50/,
    );
    session.close();
  });

  it('refuses a syntactically invalid recipient with 553 5.1.3 and accepts the valid ones', async () => {
    const session = await SmtpSession.loggedIn(relay.smtpPort, access);
    await session.command('MAIL FROM:<shop@example.com>');
    // smtp-server's own parser refuses this one (501); ours refuses what it lets through (553).
    expect(await session.command('RCPT TO:<first..last@example.org>')).toMatch(/^5(01|53) 5\.1\.3 /);
    expect(await session.command('RCPT TO:<nobody@localhost>')).toMatch(/^553 5\.1\.3 /);
    expect(await session.command('RCPT TO:<ok@example.org>')).toMatch(/^250/);
    session.close();
  });

  it('refuses a declared SIZE above 30 MiB at MAIL FROM', async () => {
    const session = await SmtpSession.loggedIn(relay.smtpPort, access);
    expect(await session.command(`MAIL FROM:<shop@example.com> SIZE=${31 * 1024 * 1024}`)).toMatch(
      /^552 5\.3\.4 /,
    );
    session.close();
  });

  it('refuses every mail of a disabled connection with a reply that names it', async () => {
    const { connection, access: disabledAccess } = await createConnection(relay, { name: 'Old CRM' });
    await relay.call('connections.update', { id: connection.id, enabled: false });
    const r = await swaks(relay.smtpPort, [
      ...authArgs(disabledAccess),
      '--from',
      'crm@example.com',
      '--to',
      'a@example.org',
    ]);
    expect(r.replies).toContain(
      '535 5.7.8 Connection "Old CRM" is disabled in Relaydesk; enable it under Connections',
    );
    await relay.call('connections.update', { id: connection.id, enabled: true });
    const again = await swaks(relay.smtpPort, [
      ...authArgs(disabledAccess),
      '--from',
      'crm@example.com',
      '--to',
      'a@example.org',
    ]);
    expect(again.replies.some((l) => l.startsWith('250 2.0.0 Ok: queued as'))).toBe(true);
  });

  it('refuses mail of a connection disabled after it logged in, at MAIL FROM', async () => {
    const { connection, access: a } = await createConnection(relay, { name: 'Booking' });
    const session = await SmtpSession.loggedIn(relay.smtpPort, a);
    await relay.call('connections.update', { id: connection.id, enabled: false });
    expect(await session.command('MAIL FROM:<b@example.com>')).toBe(
      '550 5.7.1 Connection "Booking" is disabled in Relaydesk; enable it under Connections to send mail',
    );
    session.close();
  });

  it('captures sandbox mail instead of queueing it', async () => {
    const { access: sandbox } = await createConnection(relay, { name: 'Dev shop', mode: 'sandbox' });
    const info = await mailer(relay.smtpPort, sandbox).sendMail({
      from: 'dev@example.com',
      to: 'tester@example.org',
      subject: 'Sandbox test',
      text: 'hello',
    });
    const id = info.response.split(' ').pop() ?? '';
    const message = await relay.call('messages.get', { id });
    expect(message.status).toBe('captured');
    expect(message.mode).toBe('sandbox');
  });
});
