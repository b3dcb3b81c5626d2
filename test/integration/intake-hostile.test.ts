import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SendingDomain } from '@shared/domain/sending-domain';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/main/engine/logger';
import { dnsRecordsOf, verifyWithDkimpy, verifyWithMailauth } from '../helpers/dkim';
import { createConnection, startRelay, type TestRelay, tempDir, waitForRecipients } from '../helpers/engine';
import { mailer } from '../helpers/mailer';
import { type Sink, startSink } from '../helpers/sink';
import { SmtpSession } from '../helpers/smtp-session';

let relay: TestRelay | undefined;
let sink: Sink | undefined;
const open: SmtpSession[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) s.close();
  await relay?.dispose();
  await sink?.close();
  relay = undefined;
  sink = undefined;
});

/** Enough sessions from 127.0.0.1 for the races below; the per-address cap has its own test. */
const MANY = { 'smtp.maxConnectionsPerAddress': 200 } as const;

const mail = (from: string, i: number) => ({
  from,
  to: 'customer@example.org',
  subject: `Order ${i}`,
  text: 'Thank you for your order.',
});

/** Sends `count` mails at once, each over its own connection; returns the replies and refusals. */
async function sendInParallel(
  port: number,
  access: { username: string; password: string },
  from: string,
  count: number,
): Promise<{ accepted: number; refusals: string[] }> {
  const results = await Promise.allSettled(
    Array.from({ length: count }, (_, i) => mailer(port, access).sendMail(mail(from, i))),
  );
  const refusals = results
    .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    .map((r) => String((r.reason as { response?: string }).response ?? r.reason));
  return { accepted: count - refusals.length, refusals };
}

/** A logged-in session that has had its MAIL FROM accepted: it holds a place in the limits. */
async function holdMail(port: number, access: { username: string; password: string }, from: string) {
  const session = await SmtpSession.loggedIn(port, access);
  open.push(session);
  const reply = await session.command(`MAIL FROM:<${from}>`);
  return { session, reply };
}

async function sendBody(session: SmtpSession, from: string): Promise<string> {
  expect(await session.command('RCPT TO:<customer@example.org>')).toMatch(/^250/);
  expect(await session.command('DATA')).toMatch(/^354/);
  session.write(`From: ${from}\r\nTo: customer@example.org\r\nSubject: Hello\r\n\r\nHello.\r\n.\r\n`);
  return session.reply();
}

/** Writes `text` one byte every `everyMs` until it is all sent or the relay closed the connection. */
function capturingLogger(): { log: Logger; events: { event: string; fields: Record<string, unknown> }[] } {
  const events: { event: string; fields: Record<string, unknown> }[] = [];
  const push = (event: string, fields: Record<string, unknown> = {}) => events.push({ event, fields });
  return { log: { info: push, warn: push, error: push }, events };
}

describe('limits hold under parallel sessions', () => {
  it('accepts exactly 25 of 40 mails sent at once on the demo quota, and refuses the rest with 451 4.7.1', async () => {
    relay = await startRelay({ deliver: false, overrides: MANY });
    const { access } = await createConnection(relay, { name: 'Shop' });
    const { accepted, refusals } = await sendInParallel(relay.smtpPort, access, 'shop@example.com', 40);
    console.log(`demo limit 25, 40 parallel sessions: ${accepted} accepted, ${refusals.length} refused`);
    expect(accepted, refusals.join('\n')).toBe(25);
    for (const r of refusals) expect(r).toMatch(/^451 4\.7\.1 Demo quota: at most 25 mails an hour/);
    expect((await relay.call('quota.get', {})).sentLastHour).toBe(25);
  });

  it("accepts exactly 5 of 12 mails sent at once under a connection's hourly limit of 5", async () => {
    relay = await startRelay({ deliver: false, overrides: MANY });
    const { access, connection } = await createConnection(relay, { name: 'Forum', hourlyLimit: 5 });
    const { accepted, refusals } = await sendInParallel(relay.smtpPort, access, 'forum@example.com', 12);
    console.log(`hourly limit 5, 12 parallel sessions: ${accepted} accepted, ${refusals.length} refused`);
    expect(accepted, refusals.join('\n')).toBe(5);
    for (const r of refusals)
      expect(r).toMatch(/^451 4\.7\.1 Connection "Forum" reached its limit of 5 mails/);
    expect(relay.engine.context.store.messages.countAcceptedSince(connection.id, 0)).toBe(5);
  });

  it('gives the whole hourly and demo budget back after sessions end in every way short of a stored mail', async () => {
    relay = await startRelay({ deliver: false, overrides: { ...MANY, 'quota.demoHourlyLimit': 4 } });
    const a = await createConnection(relay, { name: 'Forum', hourlyLimit: 2 });
    const b = await createConnection(relay, { name: 'Shop' }, 'example.net');
    const port = relay.smtpPort;
    const fromA = 'forum@example.com';
    const fromB = 'shop@example.net';

    /** Two sessions of each connection past MAIL FROM: the hourly limit of A and the demo limit are both held. */
    const fill = async () => {
      const held = await Promise.all([
        holdMail(port, a.access, fromA),
        holdMail(port, a.access, fromA),
        holdMail(port, b.access, fromB),
        holdMail(port, b.access, fromB),
      ]);
      for (const h of held) expect(h.reply).toMatch(/^250/);
      const overA = await holdMail(port, a.access, fromA);
      expect(overA.reply).toMatch(/^451 4\.7\.1 Connection "Forum" reached its limit of 2 mails per hour/);
      const overB = await holdMail(port, b.access, fromB);
      expect(overB.reply).toMatch(/^451 4\.7\.1 Demo quota: at most 4 mails an hour/);
      overA.session.close();
      overB.session.close();
      return held.map((h) => h.session);
    };
    const allClosed = async (sessions: SmtpSession[]) => {
      for (const s of sessions) expect(await s.waitClosed(5_000)).toBe(true);
    };

    // RSET: the sessions stay open, their places are free at once.
    for (const s of await fill()) expect(await s.command('RSET')).toMatch(/^250/);
    // QUIT after MAIL FROM.
    let sessions = await fill();
    for (const s of sessions) expect(await s.command('QUIT')).toMatch(/^221/);
    await allClosed(sessions);
    // A dropped connection.
    sessions = await fill();
    for (const s of sessions) s.close();
    // A dropped connection in the middle of DATA.
    sessions = await fill();
    for (const s of sessions) {
      expect(await s.command('RCPT TO:<customer@example.org>')).toMatch(/^250/);
      expect(await s.command('DATA')).toMatch(/^354/);
      s.write('Subject: half a mail\r\n');
      s.close();
    }
    // A refusal after DATA (a From: domain the connection may not send from).
    sessions = await fill();
    for (const s of sessions)
      expect(await sendBody(s, 'someone@not-a-sending-domain.example')).toMatch(/^550 5\.7\.1/);
    // A new MAIL FROM in the same session after that refusal takes a place again, and RSET frees it.
    for (const [i, s] of sessions.entries()) {
      expect(await s.command(`MAIL FROM:<${i < 2 ? fromA : fromB}>`)).toMatch(/^250/);
      expect(await s.command('RSET')).toMatch(/^250/);
    }
    // The store fails to record the mail: 451, reported as a problem of the intake.
    const messages = relay.engine.context.store.messages;
    const record = messages.recordAccepted;
    messages.recordAccepted = () => {
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    };
    sessions = await fill();
    for (const [i, s] of sessions.entries())
      expect(await sendBody(s, i < 2 ? fromA : fromB)).toMatch(/^451 4\.3\.0 /);
    messages.recordAccepted = record;
    const problems = (await relay.call('status.get', {})).problems;
    expect(problems).toContainEqual(expect.objectContaining({ area: 'intake', code: 'SQLITE_FULL' }));
    for (const s of sessions) s.close();

    // Nothing was stored, and the whole budget is there: 2 mails of A, then 2 of B fill the demo's 4.
    expect(messages.countLiveAcceptedSince(0)).toBe(0);
    const sentA = await sendInParallel(port, a.access, fromA, 3);
    const sentB = await sendInParallel(port, b.access, fromB, 3);
    console.log(
      `after aborted sessions: Forum (limit 2) ${sentA.accepted} of 3 accepted, Shop (demo limit 4) ${sentB.accepted} of 3 accepted`,
    );
    expect(sentA.accepted).toBe(2);
    expect(sentB.accepted).toBe(2);
    expect(sentB.refusals[0]).toMatch(/^451 4\.7\.1 Demo quota/);
  });

  it('checks at most 10 passwords of 60 wrong logins at once and gives the rest the lockout answer', async () => {
    const { log, events } = capturingLogger();
    relay = await startRelay({ deliver: false, overrides: MANY, log });
    const { access } = await createConnection(relay);
    // All 60 sessions reach the point of AUTH first, so the logins really are checked at the same time.
    const sessions = await Promise.all(
      Array.from({ length: 60 }, () => SmtpSession.secure(relay?.smtpPort ?? 0)),
    );
    open.push(...sessions);
    const replies = await Promise.all(sessions.map((s, i) => s.login(access.username, `wrong-${i}`)));
    const checks = events.filter((e) => e.event === 'auth-failed' || e.event === 'auth').length;
    const wrong = replies.filter((r) => r.startsWith('535 5.7.8')).length;
    const lockedOut = replies.filter((r) =>
      /^454 4\.7\.0 Too many failed (and pending )?logins from 127\.0\.0\.1/.test(r),
    );
    console.log(
      `60 parallel wrong logins: ${checks} password checks, ${wrong} × 535, ${lockedOut.length} × 454`,
    );
    expect(checks).toBeLessThanOrEqual(10);
    expect(wrong).toBe(checks);
    expect(wrong + lockedOut.length).toBe(60);
    // The address is locked out now, also for the right password.
    const { greeting, session } = await SmtpSession.open(relay.smtpPort);
    open.push(session);
    expect(greeting).toMatch(/^421 4\.7\.0 Too many failed logins from 127\.0\.0\.1/);
  });
});

describe('slow clients cannot hold a session', () => {
  it.each([
    ['before STARTTLS', (port: number) => SmtpSession.open(port).then((o) => o.session)],
    ['inside TLS, after STARTTLS', (port: number) => SmtpSession.secure(port)],
  ])(
    'closes a session whose command trickles in a byte every 200 ms with 421 4.4.2 once the command time is up (%s)',
    async (when, connect) => {
      relay = await startRelay({ deliver: false, overrides: { 'smtp.commandTimeoutSeconds': 2 } });
      const session = await connect(relay.smtpPort);
      open.push(session);
      const started = Date.now();
      const dripping = session.drip('EHLO client.test\r\nNOOP\r\nNOOP\r\nNOOP\r\nNOOP\r\n', 200);
      const reply = await session.reply(12_000);
      expect(reply).toMatch(/^421 4\.4\.2 .*2 seconds/);
      expect(await session.waitClosed(3_000)).toBe(true);
      const elapsed = Date.now() - started;
      await dripping;
      console.log(`slow drip ${when}: 421 and closed after ${elapsed} ms (command time 2 s)`);
      expect(elapsed).toBeLessThan(4_500);
    },
  );

  it('answers 421 4.4.2 right after the TLS handshake when the client took longer than the command time to begin it', async () => {
    relay = await startRelay({ deliver: false, overrides: { 'smtp.commandTimeoutSeconds': 2 } });
    const { session } = await SmtpSession.open(relay.smtpPort);
    open.push(session);
    expect(await session.command('EHLO client.test')).toMatch(/^250/);
    await session.startTls(2_500);
    expect(await session.reply(5_000)).toMatch(/^421 4\.4\.2 No complete command within 2 seconds/);
    expect(await session.waitClosed(3_000)).toBe(true);
  });

  it('cuts off DATA that comes in below the minimum pace with 421 4.4.2, stores nothing and frees its place', async () => {
    relay = await startRelay({
      deliver: false,
      overrides: { 'smtp.dataTimeoutSeconds': 2, 'smtp.minDataBytesPerSecond': 1000 },
    });
    const { access, connection } = await createConnection(relay, { name: 'Forum', hourlyLimit: 1 });
    const { session, reply: mailFrom } = await holdMail(relay.smtpPort, access, 'forum@example.com');
    expect(mailFrom).toMatch(/^250/);
    expect(await session.command('RCPT TO:<customer@example.org>')).toMatch(/^250/);
    expect(await session.command('DATA')).toMatch(/^354/);
    const started = Date.now();
    const dripping = session.drip(
      'From: forum@example.com\r\nSubject: slow\r\n\r\nOne byte at a time, five a second.\r\n.\r\n',
      200,
    );
    const reply = await session.reply(20_000);
    expect(reply).toMatch(/^421 4\.4\.2 /);
    expect(await session.waitClosed(3_000)).toBe(true);
    const elapsed = Date.now() - started;
    await dripping;
    console.log(`slow DATA (5 bytes/s, minimum 1000 after 2 s): 421 and closed after ${elapsed} ms`);
    expect(elapsed).toBeLessThan(4_500);

    const incoming = join(relay.dataDir, 'spool', 'incoming');
    for (let i = 0; i < 100 && readdirSync(incoming).length > 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(incoming)).toEqual([]);
    expect(relay.engine.context.store.messages.countAcceptedSince(connection.id, 0)).toBe(0);
    // Its place under the hourly limit of 1 is free again: a mail at normal pace goes through.
    const info = await mailer(relay.smtpPort, access).sendMail(mail('forum@example.com', 1));
    expect(info.response).toMatch(/^250 2\.0\.0 Ok: queued as /);
  });
});

describe('connection caps', () => {
  /** Opens `count` connections at once; returns the greetings (or refusals) and the sessions. */
  async function flood(port: number, count: number) {
    const opened = await Promise.all(Array.from({ length: count }, () => SmtpSession.open(port)));
    open.push(...opened.map((o) => o.session));
    return opened;
  }

  /** After a flood, the relay takes a normal mail again once the flood's connections are gone. */
  async function sendsAgain(port: number, access: { username: string; password: string }): Promise<string> {
    for (let i = 0; ; i++) {
      try {
        return (await mailer(port, access).sendMail(mail('shop@example.com', i))).response;
      } catch (err) {
        if (i >= 50 || !/^421/.test(String((err as { response?: string }).response))) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  it('refuses connections beyond 20 from one address with 421 4.7.0 and closes them; mail flows again afterwards', async () => {
    relay = await startRelay({ deliver: false });
    const { access } = await createConnection(relay);
    const opened = await flood(relay.smtpPort, 300);
    const greeted = opened.filter((o) => o.greeting.startsWith('220'));
    const refused = opened.filter((o) => o.greeting.startsWith('421'));
    console.log(`300 connections from 127.0.0.1: ${greeted.length} greeted, ${refused.length} refused`);
    expect(greeted).toHaveLength(20);
    expect(refused).toHaveLength(280);
    for (const r of refused) {
      expect(r.greeting).toMatch(/^421 4\.7\.0 Too many connections from 127\.0\.0\.1 .*20.*try again later/);
      expect(await r.session.waitClosed(5_000)).toBe(true);
    }
    for (const o of opened) o.session.close();
    expect(await sendsAgain(relay.smtpPort, access)).toMatch(/^250 2\.0\.0/);
  });

  it('refuses connections beyond the total cap with 421 4.7.0 naming that limit', async () => {
    relay = await startRelay({ deliver: false, overrides: { 'smtp.maxConnections': 5 } });
    const { access } = await createConnection(relay);
    const opened = await flood(relay.smtpPort, 12);
    const greeted = opened.filter((o) => o.greeting.startsWith('220'));
    const refused = opened.filter((o) => o.greeting.startsWith('421'));
    console.log(`12 connections, total cap 5: ${greeted.length} greeted, ${refused.length} refused`);
    expect(greeted).toHaveLength(5);
    expect(refused).toHaveLength(7);
    for (const r of refused) {
      expect(r.greeting).toMatch(
        /^421 4\.7\.0 Relaydesk is serving its limit of 5 connections at once; try again later/,
      );
      expect(await r.session.waitClosed(5_000)).toBe(true);
    }
    for (const o of opened) o.session.close();
    expect(await sendsAgain(relay.smtpPort, access)).toMatch(/^250 2\.0\.0/);
  });

  it('closes a session that has not logged in after 20 commands: the 21st gets 421 4.7.0', async () => {
    relay = await startRelay({ deliver: false });
    const session = await SmtpSession.secure(relay.smtpPort); // EHLO, STARTTLS, EHLO: 3 commands
    open.push(session);
    expect(await session.command('RSET')).toMatch(/^250/);
    for (let i = 0; i < 16; i++) expect(await session.command('NOOP')).toMatch(/^250/);
    expect(await session.command('NOOP')).toMatch(/^421 4\.7\.0 .*20 commands without logging in/);
    expect(await session.waitClosed(3_000)).toBe(true);
  });

  it('does not count the commands of a session that has logged in', async () => {
    relay = await startRelay({ deliver: false });
    const { access } = await createConnection(relay);
    const session = await SmtpSession.loggedIn(relay.smtpPort, access);
    open.push(session);
    for (let i = 0; i < 40; i++) expect(await session.command('NOOP')).toMatch(/^250/);
  });
});

describe('trace header', () => {
  it("adds a Received: header for Relaydesk's own hop to delivered mail, and both DKIM verifiers still pass it", async () => {
    sink = await startSink();
    relay = await startRelay({
      overrides: { 'delivery.routes': { 'example.org': `127.0.0.1:${sink.port}` } },
    });
    const { access } = await createConnection(relay);
    const session = await SmtpSession.loggedIn(relay.smtpPort, access);
    open.push(session);
    expect(await session.command('MAIL FROM:<shop@example.com>')).toMatch(/^250/);
    const reply = await sendBody(session, 'Shop <shop@example.com>');
    const id = /queued as (\w+)/.exec(reply)?.[1] ?? '';
    await waitForRecipients(relay, id, ['delivered']);
    await sink.waitFor(1);
    const raw = sink.messages[0]?.raw ?? Buffer.alloc(0);
    const head = raw.toString('latin1').split('\r\n\r\n')[0] ?? '';
    const fields = head.replace(/\r\n[ \t]+/g, ' ').split('\r\n');
    const firstOther = fields.findIndex((f) => !f.startsWith('DKIM-Signature:'));
    expect(firstOther).toBeGreaterThan(0);
    expect(fields[firstOther]).toMatch(
      new RegExp(
        `^Received: from client\\.test \\(\\[127\\.0\\.0\\.1\\]\\) by \\S+ \\(Relaydesk\\) with ESMTPSA \\(TLSv1\\.[23] [A-Z0-9_-]+\\) id ${id}; \\w{3}, \\d{1,2} \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d \\+0000$`,
      ),
    );
    expect(fields.filter((f) => f.startsWith('Received:'))).toHaveLength(1);
    expect(head).not.toContain(access.username);
    for (const f of fields.filter((l) => l.startsWith('DKIM-Signature:')))
      expect(f.replace(/\s+/g, '')).not.toMatch(/h=[^;]*received/i);

    const work = tempDir('relaydesk-received-');
    try {
      const file = join(work, 'delivered.eml');
      writeFileSync(file, raw);
      const records = dnsRecordsOf((await relay.call('domains.list', {})) as SendingDomain[]);
      const [dkimpy, mailauth] = await Promise.all([
        verifyWithDkimpy(file, records, work),
        verifyWithMailauth(file, records),
      ]);
      expect(dkimpy.length).toBeGreaterThan(0);
      for (const r of [...dkimpy, ...mailauth]) expect(r, JSON.stringify(r)).toMatchObject({ ok: true });
      expect(readFileSync(file).equals(raw)).toBe(true);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
