import type { MessageDetail } from '@shared/domain/message';
import { SIMULATOR_DOMAIN } from '@shared/domain/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection, startRelay, type TestRelay, waitForRecipients } from '../helpers/engine';
import { sendMail } from '../helpers/mailer';
import { type Sink, startSink } from '../helpers/sink';

let relay: TestRelay;
let smarthost: Sink;
let access: { username: string; password: string };
let quotaBefore: { remaining: number; overage: number };

beforeAll(async () => {
  // A smarthost, and a route for the simulator domain itself, that would take every mail:
  // simulator mail must never reach them.
  smarthost = await startSink();
  relay = await startRelay({
    overrides: {
      'delivery.routes': { [SIMULATOR_DOMAIN]: `127.0.0.1:${smarthost.port}` },
      'delivery.smarthost': `127.0.0.1:${smarthost.port}`,
      'delivery.smarthostTls': 'none',
      'delivery.retrySchedule': '1s',
    },
  });
  ({ access } = await createConnection(relay, { name: 'Shop' }));
  const quota = await relay.call('quota.get', {});
  quotaBefore = { remaining: quota.remaining, overage: quota.overage };
});
afterAll(async () => {
  await relay.dispose();
  await smarthost.close();
});

const at = (local: string) => `${local}@${SIMULATOR_DOMAIN}`;

async function send(local: string): Promise<string> {
  return sendMail(relay.smtpPort, access, {
    from: 'shop@example.com',
    to: at(local),
    subject: `To ${local}`,
  });
}

/** Polls until the message has a bounce row of `kind` (bounded). */
async function waitForBounce(id: string, kind: string, timeoutMs = 15_000): Promise<MessageDetail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const message = await relay.call('messages.get', { id });
    if (message.bounces.some((b) => b.kind === kind)) return message;
    if (Date.now() > deadline) throw new Error(`no ${kind} for ${id}: ${JSON.stringify(message.bounces)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('simulator addresses', () => {
  it('delivered@ is delivered by the simulator, never through the smarthost or a route override', async () => {
    const id = await send('delivered');
    const message = await waitForRecipients(relay, id, ['delivered']);
    expect(message.attempts).toHaveLength(1);
    expect(message.attempts[0]?.route).toBe('simulator');
    expect(message.attempts[0]?.host).toBe(`mx.${SIMULATOR_DOMAIN}`);
    expect(message.attempts[0]?.replyCode).toBe(250);
    expect(smarthost.messages).toHaveLength(0);
  });

  it('bounce@ bounces hard at RCPT with 5.1.1, reason userunknown, and is suppressed', async () => {
    const id = await send('bounce');
    const message = await waitForRecipients(relay, id, ['bounced']);
    const bounce = message.bounces[0];
    expect(bounce).toMatchObject({ origin: 'sync', reason: 'userunknown', hard: true, status: '5.1.1' });
    const list = await relay.call('suppressions.search', { text: at('bounce') });
    expect(list.items.map((s) => s.address)).toContain(at('bounce'));
  });

  it('bounce-report@ is delivered, then an RFC 3464 report through the bounce listener bounces it as userunknown and suppresses it', async () => {
    const id = await send('bounce-report');
    const message = await waitForBounce(id, 'bounce');
    expect(message.attempts[0]?.replyCode).toBe(250);
    expect(message.recipientStates[0]?.status).toBe('bounced');
    const bounce = message.bounces[0];
    expect(bounce).toMatchObject({ origin: 'async', reason: 'userunknown', hard: true, status: '5.1.1' });
    const detail = await relay.call('bounces.get', { id: bounce?.id ?? 0 });
    expect(detail.rawReport).toContain('report-type=delivery-status');
    expect(detail.rawReport).toContain(`Final-Recipient: rfc822; ${at('bounce-report')}`);
    const list = await relay.call('suppressions.search', { text: at('bounce-report') });
    expect(list.items.map((s) => s.address)).toContain(at('bounce-report'));
  });

  it('soft-then-delivered@ is deferred with 4xx on the first attempt and delivered on the second', async () => {
    const id = await send('soft-then-delivered');
    const message = await waitForRecipients(relay, id, ['delivered'], 20_000);
    expect(message.attempts.map((a) => a.outcome)).toEqual(['deferred', 'delivered']);
    expect(message.attempts[0]?.replyCode).toBe(451);
    expect(message.bounces).toHaveLength(0);
  });

  it('mailbox-full@ bounces with 5.2.2 as mailboxfull, soft, and is not suppressed', async () => {
    const id = await send('mailbox-full');
    const message = await waitForRecipients(relay, id, ['bounced']);
    expect(message.bounces[0]).toMatchObject({ reason: 'mailboxfull', hard: false, status: '5.2.2' });
    const list = await relay.call('suppressions.search', { text: at('mailbox-full') });
    expect(list.items).toHaveLength(0);
  });

  it('auto-reply@ is delivered, then its RFC 3834 reply is recorded as an auto-reply and nothing is suppressed', async () => {
    const id = await send('auto-reply');
    const message = await waitForBounce(id, 'auto-reply');
    expect(message.recipientStates[0]?.status).toBe('delivered');
    expect(message.bounces[0]).toMatchObject({ origin: 'async', kind: 'auto-reply', reason: 'vacation' });
    expect(message.events.map((e) => e.type)).toContain('auto-reply');
    const list = await relay.call('suppressions.search', { text: at('auto-reply') });
    expect(list.items).toHaveLength(0);
  });

  it('complaint@ is delivered, then an ARF report marks it complained and suppresses it', async () => {
    const id = await send('complaint');
    const message = await waitForBounce(id, 'complaint');
    expect(message.recipientStates[0]?.status).toBe('complained');
    expect(message.bounces[0]).toMatchObject({ origin: 'async', kind: 'complaint', reason: 'feedback' });
    const list = await relay.call('suppressions.search', { text: at('complaint') });
    expect(list.items[0]).toMatchObject({ address: at('complaint'), reason: 'complaint' });
  });

  it('blocked@ bounces with 550 5.7.1 as blocked, and is not suppressed', async () => {
    const id = await send('blocked');
    const message = await waitForRecipients(relay, id, ['bounced']);
    expect(message.bounces[0]).toMatchObject({ reason: 'blocked', status: '5.7.1' });
    expect(message.attempts[0]?.replyCode).toBe(550);
  });

  it('an unknown simulator address bounces as userunknown', async () => {
    const id = await send('nobody-here');
    const message = await waitForRecipients(relay, id, ['bounced']);
    expect(message.bounces[0]).toMatchObject({ reason: 'userunknown', hard: true });
  });

  it('none of them used quota, and nothing reached the smarthost', async () => {
    const quota = await relay.call('quota.get', {});
    expect({ remaining: quota.remaining, overage: quota.overage }).toEqual(quotaBefore);
    expect(smarthost.messages).toHaveLength(0);
  });

  it('the statistics count them as what they are', async () => {
    const summary = await relay.call('stats.summary', {});
    // delivered, soft-then-delivered, auto-reply; bounce, bounce-report, unknown; mailbox-full, blocked.
    expect(summary.today.counts).toMatchObject({
      arrived: 9,
      delivered: 3,
      deferred: 1,
      bouncedHard: 3,
      bouncedSoft: 2,
      complained: 1,
    });
  });

  it('mail to a real domain beside it still goes through the smarthost and is charged', async () => {
    const id = await sendMail(relay.smtpPort, access, {
      from: 'shop@example.com',
      to: 'customer@example.org',
    });
    await waitForRecipients(relay, id, ['delivered']);
    expect(smarthost.messages).toHaveLength(1);
    const quota = await relay.call('quota.get', {});
    expect(quota.remaining).toBe(quotaBefore.remaining - 1);
  });
});
