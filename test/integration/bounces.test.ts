import type { PushEvent } from '@shared/api/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection, startRelay, type TestRelay, waitForRecipients } from '../helpers/engine';
import { mailer } from '../helpers/mailer';
import { arf, autoReply, dsn } from '../helpers/reports';
import { type Sink, startSink } from '../helpers/sink';
import { SmtpSession } from '../helpers/smtp-session';

let relay: TestRelay;
let mx: Sink;
let access: { username: string; password: string };
const pushed: PushEvent[] = [];

beforeAll(async () => {
  mx = await startSink({
    onRcpt: (a) =>
      a.startsWith('nobody')
        ? { code: 550, message: '5.1.1 <nobody@example.org>: Recipient address rejected: User unknown' }
        : a.startsWith('spamtrap')
          ? { code: 554, message: '5.7.1 Message rejected as spam by content filter' }
          : 'accept',
  });
  relay = await startRelay({ overrides: { 'delivery.routes': { 'example.org': `127.0.0.1:${mx.port}` } } });
  relay.engine.events.subscribe((e) => pushed.push(e));
  ({ access } = await createConnection(relay, { name: 'Shop' }));
});
afterAll(async () => {
  await relay.dispose();
  await mx.close();
});

const bouncePort = () => relay.engine.context.bounceListener?.port ?? 0;

async function deliver(to: string): Promise<{ id: string; returnPath: string }> {
  const info = await mailer(relay.smtpPort, access).sendMail({
    from: 'shop@example.com',
    to,
    subject: 'Your order',
    text: 'x',
  });
  const id = /queued as (\w+)/.exec(info.response)?.[1] ?? '';
  await waitForRecipients(relay, id, ['delivered', 'bounced']);
  const returnPath = mx.messages.find((m) => m.from.startsWith(`rd-${id}-`))?.from ?? '';
  return { id, returnPath };
}

/** Hands a report to the bounce listener as a remote MTA would (null sender, no login); returns each reply. */
async function report(rcpt: string, body: string): Promise<{ rcpt: string; data?: string }> {
  const { session } = await SmtpSession.open(bouncePort());
  await session.command('EHLO mx.example.org');
  expect(await session.command('MAIL FROM:<>')).toMatch(/^250/);
  const rcptReply = await session.command(`RCPT TO:<${rcpt}>`);
  if (!rcptReply.startsWith('250')) {
    session.close();
    return { rcpt: rcptReply };
  }
  expect(await session.command('DATA')).toMatch(/^354/);
  session.write(`${body.replace(/^\./gm, '..')}\r\n.\r\n`);
  const data = await session.reply();
  session.close();
  return { rcpt: rcptReply, data };
}

async function refusedAtRcpt(to: string): Promise<string> {
  const session = await SmtpSession.loggedIn(relay.smtpPort, access);
  await session.command('MAIL FROM:<shop@example.com>');
  const reply = await session.command(`RCPT TO:<${to}>`);
  session.close();
  return reply;
}

describe('asynchronous bounces through the bounce listener', () => {
  it('a DSN for a delivered mail marks it bounced with its reason, suppresses the address, pushes an event, and the next mail to it is refused at RCPT', async () => {
    const { id, returnPath } = await deliver('gone@example.org');
    expect(returnPath).not.toBe('');
    const answer = await report(
      returnPath,
      dsn({
        to: returnPath,
        recipient: 'gone@example.org',
        status: '5.1.1',
        diagnostic:
          '550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown in virtual mailbox table',
      }),
    );
    expect(answer.data).toMatch(/^250 2\.0\.0 Ok: report r\w+ received/);
    const m = await waitForRecipients(relay, id, ['bounced']);
    expect(m.events.map((e) => e.type)).toEqual(['accepted', 'sending', 'delivered', 'bounced']);
    const { items } = await relay.call('bounces.search', { text: 'gone@example.org' });
    expect(items[0]).toMatchObject({
      origin: 'async',
      kind: 'bounce',
      reason: 'userunknown',
      hard: true,
      status: '5.1.1',
      messageId: id,
    });
    expect(pushed.some((e) => e.type === 'bounce.recorded' && e.data.recipient === 'gone@example.org')).toBe(
      true,
    );
    const detail = await relay.call('bounces.get', { id: items[0]?.id ?? 0 });
    expect(detail.rawReport).toContain('Final-Recipient: rfc822; gone@example.org');
    expect((await relay.call('suppressions.search', { text: 'gone@' })).items[0]).toMatchObject({
      reason: 'hard-bounce',
      messageId: id,
    });
    expect(await refusedAtRcpt('gone@example.org')).toMatch(
      /^550 5\.1\.1 gone@example\.org is on the suppression list since \d{4}-\d{2}-\d{2}: it hard-bounced \(userunknown\); remove it under Bounces & Suppressions/,
    );
  });

  it('an ARF complaint marks the recipient complained and suppresses it; the refusal says it was a complaint', async () => {
    const { id, returnPath } = await deliver('angry@example.org');
    expect((await report(returnPath, arf({ to: returnPath, recipient: 'angry@example.org' }))).data).toMatch(
      /^250/,
    );
    const m = await waitForRecipients(relay, id, ['complained']);
    expect(m.status).toBe('complained');
    expect((await relay.call('suppressions.search', { text: 'angry@' })).items[0]?.reason).toBe('complaint');
    expect(await refusedAtRcpt('angry@example.org')).toMatch(
      /^550 5\.7\.1 angry@example\.org is on the suppression list .*complained/,
    );
  });

  it('an auto-reply is recorded as such and neither bounces nor suppresses', async () => {
    const { id, returnPath } = await deliver('holiday@example.org');
    expect(
      (await report(returnPath, autoReply({ to: returnPath, from: 'holiday@example.org' }))).data,
    ).toMatch(/^250/);
    await expect
      .poll(async () => (await relay.call('bounces.search', { kind: 'auto-reply' })).items.length)
      .toBe(1);
    const m = await relay.call('messages.get', { id });
    expect(m.recipientStates[0]?.status).toBe('delivered');
    expect(m.events.map((e) => e.type)).toContain('auto-reply');
    expect((await relay.call('suppressions.search', { text: 'holiday@' })).items).toEqual([]);
    expect(await refusedAtRcpt('holiday@example.org')).toMatch(/^250/);
  });

  it('refuses forged reports: a bad token, an unknown address, and any attempt to relay', async () => {
    const { id, returnPath } = await deliver('real@example.org');
    const forged = returnPath.replace(/-[a-z2-7]{16}@/, '-aaaaaaaaaaaaaaaa@');
    for (const rcpt of [
      forged,
      `rd-${id}-0-abcdefghijklmnop@example.com`,
      'postmaster@example.com',
      'customer@example.org',
    ]) {
      expect((await report(rcpt, 'Subject: x\r\n\r\nx')).rcpt).toMatch(/^550 5\.1\.1 No such recipient/);
    }
    expect((await relay.call('messages.get', { id })).recipientStates[0]?.status).toBe('delivered');
  });

  it('keeps working after malformed MIME, which it reads without crashing and refuses as not a report', async () => {
    const { returnPath } = await deliver('odd@example.org');
    const broken =
      'Content-Type: multipart/report; boundary=\r\n\r\n--\r\n\u0000\u00ff garbage\r\n--X\r\nContent-Type: message/delivery-status\r\n\r\nFinal-Recipient\r\n';
    expect((await report(returnPath, broken)).data).toMatch(/^550 5\.7\.1 Not a bounce report/);
    const again = await deliver('after@example.org');
    expect(
      (
        await report(
          again.returnPath,
          dsn({
            to: again.returnPath,
            recipient: 'after@example.org',
            status: '5.2.2',
            diagnostic: '552 5.2.2 Mailbox full',
          }),
        )
      ).data,
    ).toMatch(/^250/);
    await expect
      .poll(async () => (await relay.call('bounces.search', { text: 'after@' })).items[0]?.reason)
      .toBe('mailboxfull');
  });
});

describe('synchronous bounces during delivery', () => {
  it('classify the reply, keep it as a bounce, and suppress the address when it is hard', async () => {
    const { id } = await deliver('nobody@example.org');
    const m = await waitForRecipients(relay, id, ['bounced']);
    expect(m.status).toBe('bounced');
    const { items } = await relay.call('bounces.search', { text: 'nobody@' });
    expect(items[0]).toMatchObject({
      origin: 'sync',
      reason: 'userunknown',
      hard: true,
      replyCode: '550',
      status: '5.1.1',
    });
    expect(items[0]?.explanation.length).toBeGreaterThan(20);
    expect(await refusedAtRcpt('nobody@example.org')).toMatch(/^550 5\.1\.1 /);
  });

  it('do not suppress a recipient refused for the content of one mail', async () => {
    const { id } = await deliver('spamtrap@example.org');
    await waitForRecipients(relay, id, ['bounced']);
    const { items } = await relay.call('bounces.search', { text: 'spamtrap@' });
    expect(items[0]?.reason).toMatch(/spamdetected|blocked|rejected|filtered/);
    expect(items[0]?.hard).not.toBe(true);
    expect((await relay.call('suppressions.search', { text: 'spamtrap@' })).items).toEqual([]);
  });
});

describe('the suppression list', () => {
  it('adds and removes by hand, and RCPT follows it', async () => {
    await relay.call('suppressions.add', { address: 'Manual@Example.org', note: 'asked to stop' });
    expect(await refusedAtRcpt('manual@example.org')).toMatch(
      /^550 5\.1\.1 manual@example\.org is on the suppression list .*added by hand/,
    );
    await expect(relay.call('suppressions.add', { address: 'manual@example.org' })).rejects.toMatchObject({
      code: 'conflict',
    });
    await relay.call('suppressions.remove', { address: 'manual@example.org' });
    expect(await refusedAtRcpt('manual@example.org')).toMatch(/^250/);
    await expect(relay.call('suppressions.remove', { address: 'manual@example.org' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('imports CSV, reporting each bad line, and exports what it holds', async () => {
    const result = await relay.call('suppressions.import', {
      csv: 'address,reason,detail,created_at\r\nlist1@example.org,manual,"from the old system, 2025",2025-01-02T03:04:05Z\r\nnot-an-address,manual,,\r\nlist2@example.org,complaint,,\r\nlist3@example.org,weird,,\r\n',
    });
    expect(result).toEqual({
      added: 2,
      alreadyListed: 0,
      errors: [
        { line: 3, message: '"not-an-address" is not an e-mail address' },
        { line: 5, message: 'reason must be one of hard-bounce, complaint, manual' },
      ],
    });
    expect(
      (await relay.call('suppressions.import', { csv: 'list1@example.org\nlist9@example.org\n' })).added,
    ).toBe(1);
    const { csv, count } = await relay.call('suppressions.export', {});
    expect(csv.split('\r\n')[0]).toBe('address,reason,detail,created_at');
    expect(csv).toContain('list1@example.org,manual,"from the old system, 2025",2025-01-02T03:04:05.000Z');
    expect(count).toBe(csv.trim().split('\r\n').length - 1);
  });
});

describe('bounces.analyze', () => {
  it('returns the parsed result of a pasted bounce and changes nothing', async () => {
    const before = (await relay.call('bounces.search', {})).items.length;
    const analysis = await relay.call('bounces.analyze', {
      raw: dsn({
        to: 'x@example.com',
        recipient: 'someone@example.net',
        status: '5.2.2',
        diagnostic: '552 5.2.2 Mailbox full',
      }),
    });
    expect(analysis.recipients).toEqual([
      expect.objectContaining({
        recipient: 'someone@example.net',
        reason: 'mailboxfull',
        status: '5.2.2',
        replyCode: '552',
      }),
    ]);
    expect((await relay.call('bounces.search', {})).items.length).toBe(before);
  });

  it('says a hard user-unknown DSN would suppress the address as a hard bounce, with the facts it read, and suppresses nothing', async () => {
    const analysis = await relay.call('bounces.analyze', {
      raw: dsn({
        to: 'x@example.com',
        recipient: 'left@example.net',
        status: '5.1.1',
        diagnostic: '550 5.1.1 <left@example.net>: Recipient address rejected: User unknown',
      }),
    });
    expect(analysis).toMatchObject({ kind: 'bounce', reportingMta: 'mx.example.org' });
    expect(analysis.recipients).toEqual([
      expect.objectContaining({
        recipient: 'left@example.net',
        reason: 'userunknown',
        hard: true,
        status: '5.1.1',
        replyCode: '550',
        action: 'failed',
        diagnostic: '550 5.1.1 <left@example.net>: Recipient address rejected: User unknown',
        diagnosticType: 'SMTP',
        remoteMta: 'mailbox.example.org',
        wouldSuppress: 'hard-bounce',
        alreadySuppressed: false,
      }),
    ]);
    expect((await relay.call('suppressions.search', { text: 'left@' })).items).toEqual([]);
  });

  it('says a soft bounce, a delay notice and an auto-reply would suppress no one, and a complaint would', async () => {
    const analyze = async (raw: string) => (await relay.call('bounces.analyze', { raw })).recipients[0];
    const full = dsn({
      to: 'x@example.com',
      recipient: 'full@example.net',
      status: '5.2.2',
      diagnostic: '552 5.2.2 Mailbox full',
    });
    const delayed = dsn({
      to: 'x@example.com',
      recipient: 'slow@example.net',
      status: '5.1.1',
      action: 'delayed',
      diagnostic: '550 5.1.1 User unknown',
    });
    expect(await analyze(full)).toMatchObject({ hard: false, wouldSuppress: null });
    // Hard by its reason, but the remote side is still trying: the recorder records nothing.
    expect(await analyze(delayed)).toMatchObject({ hard: true, action: 'delayed', wouldSuppress: null });
    expect(await analyze(autoReply({ to: 'x@example.com', from: 'away@example.net' }))).toMatchObject({
      reason: 'vacation',
      wouldSuppress: null,
    });
    expect(await analyze(arf({ to: 'x@example.com', recipient: 'cross@example.net' }))).toMatchObject({
      reason: 'feedback',
      wouldSuppress: 'complaint',
    });
  });

  it('says an address on the suppression list is already suppressed, whatever its case', async () => {
    await relay.call('suppressions.add', { address: 'listed@example.net', note: 'test' });
    const analysis = await relay.call('bounces.analyze', {
      raw: dsn({
        to: 'x@example.com',
        recipient: 'Listed@Example.net',
        status: '5.2.2',
        diagnostic: '552 5.2.2 Mailbox full',
      }),
    });
    expect(analysis.recipients[0]).toMatchObject({ alreadySuppressed: true, wouldSuppress: null });
  });

  it('says what the recorder then does when the same report comes back for mail Relaydesk sent', async () => {
    const { returnPath } = await deliver('moved-away@example.org');
    const raw = dsn({
      to: returnPath,
      recipient: 'moved-away@example.org',
      status: '5.1.1',
      diagnostic: '550 5.1.1 <moved-away@example.org>: User unknown',
    });
    const before = (await relay.call('bounces.analyze', { raw })).recipients[0];
    expect(before).toMatchObject({ wouldSuppress: 'hard-bounce', alreadySuppressed: false });
    expect((await report(returnPath, raw)).data).toMatch(/^250/);
    await expect
      .poll(async () => (await relay.call('suppressions.search', { text: 'moved-away@' })).items[0]?.reason)
      .toBe(before?.wouldSuppress);
    expect((await relay.call('bounces.analyze', { raw })).recipients[0]?.alreadySuppressed).toBe(true);
  });
});
