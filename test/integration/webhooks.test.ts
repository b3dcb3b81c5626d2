import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/main/engine/clock';
import { createConnection, startRelay, type TestRelay, waitForRecipients } from '../helpers/engine';
import { mailer } from '../helpers/mailer';
import { arf, sendReport } from '../helpers/reports';
import { type Sink, type SinkOptions, startSink } from '../helpers/sink';
import { signatureValid, startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';

const HOUR = 3_600_000;
let relay: TestRelay | undefined;
const sinks: Sink[] = [];
const receivers: WebhookReceiver[] = [];
afterEach(async () => {
  await relay?.dispose();
  relay = undefined;
  for (const s of sinks.splice(0)) await s.close();
  for (const r of receivers.splice(0)) await r.close();
});

async function receiver(answer?: (n: number) => number): Promise<WebhookReceiver> {
  const r = await startWebhookReceiver(answer);
  receivers.push(r);
  return r;
}

/**
 * A relay whose mail for example.org goes to a sink answering `onRcpt`, a connection "Webshop"
 * with a webhook endpoint at `hooks`, and a way to send mail through it.
 */
async function shopWithWebhook(
  hooks: WebhookReceiver,
  options: { onRcpt?: SinkOptions['onRcpt']; clock?: ManualClock; dataDir?: string } = {},
) {
  const mx = await startSink(options.onRcpt ? { onRcpt: options.onRcpt } : {});
  sinks.push(mx);
  relay = await startRelay({
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    overrides: { 'delivery.routes': { 'example.org': `127.0.0.1:${mx.port}` } },
  });
  const r = relay;
  const sender = await createConnection(r, { name: 'Webshop' });
  const { endpoint, secret } = await r.call('webhooks.create', {
    connectionId: sender.connection.id,
    url: hooks.url,
  });
  const send = async (to: string, subject = 'Your order 1001') => {
    const info = await mailer(r.smtpPort, sender.access).sendMail({
      from: 'shop@example.com',
      to,
      subject,
      text: 'Thank you for your order.',
    });
    return /queued as (\w+)/.exec(info.response)?.[1] ?? '';
  };
  return { relay: r, mx, sender, endpoint, secret, send };
}

/** Runs the dispatcher now and waits for the attempts it started (the clock of a test may not move by itself). */
async function dispatchNow(r: TestRelay): Promise<void> {
  await r.engine.context.webhooks?.runDue();
}

describe('webhook events for delivery outcomes', () => {
  it('POSTs a signed delivered event for a mail the recipient server accepted, verifiable with node:crypto alone', async () => {
    const hooks = await receiver();
    const { relay: r, sender, secret, endpoint, send } = await shopWithWebhook(hooks);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const id = await send('customer@example.org');
    const message = await waitForRecipients(r, id, ['delivered']);
    await hooks.waitFor(1);
    const [event] = hooks.received;
    expect(signatureValid(event?.headers['relaydesk-signature'], event?.body ?? '', secret)).toBe(true);
    expect(signatureValid(event?.headers['relaydesk-signature'], `${event?.body} `, secret)).toBe(false);
    expect(event?.headers['content-type']).toBe('application/json');
    expect(event?.headers['relaydesk-event-id']).toBe(event?.json.id);
    expect(event?.json).toEqual({
      id: expect.stringMatching(/^evt_/),
      type: 'delivered',
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      connection: { id: sender.connection.id, name: 'Webshop' },
      message: { id, messageId: message.messageId, subject: 'Your order 1001' },
      recipient: 'customer@example.org',
      status: '2.0.0',
      reply: '250 2.0.0 Ok: sunk',
      attempts: 1,
    });
    const t = Number(/t=(\d+)/.exec(String(event?.headers['relaydesk-signature']))?.[1]);
    expect(Math.abs(t - Date.now() / 1000)).toBeLessThan(60);

    await expect
      .poll(() => r.call('webhooks.history', { id: endpoint.id }))
      .toMatchObject([
        { eventId: event?.json.id, type: 'delivered', statusCode: 200, error: '', outcome: 'delivered' },
      ]);
    expect((await r.call('webhooks.list', { connectionId: sender.connection.id }))[0]).toMatchObject({
      id: endpoint.id,
      url: hooks.url,
      pending: 0,
      failed: 0,
      lastAttempt: { statusCode: 200 },
    });
    expect(
      JSON.stringify(await r.call('webhooks.list', { connectionId: sender.connection.id })),
    ).not.toContain(secret);
  });

  it('POSTs one bounced event with reason, hard and status for a 550 5.1.1, and nothing else for that recipient', async () => {
    const hooks = await receiver();
    const { relay: r, send } = await shopWithWebhook(hooks, {
      onRcpt: () => ({
        code: 550,
        message: '5.1.1 <gone@example.org>: Recipient address rejected: User unknown',
      }),
    });
    const id = await send('gone@example.org');
    await waitForRecipients(r, id, ['bounced']);
    await hooks.waitFor(1);
    expect(hooks.received[0]?.json).toMatchObject({
      type: 'bounced',
      recipient: 'gone@example.org',
      reason: 'userunknown',
      hard: true,
      status: '5.1.1',
      reply: expect.stringMatching(/^550 5\.1\.1 <gone@example\.org>: Recipient address rejected/),
      attempts: 1,
    });
    // The outbox holds exactly that one event for the recipient.
    const rows = r.engine.context.store.db.prepare('SELECT type FROM webhook_outbox').pluck().all();
    expect(rows).toEqual(['bounced']);
  });

  it('POSTs a complained event once an ARF report comes back for a delivered mail', async () => {
    const hooks = await receiver();
    const { relay: r, mx, send } = await shopWithWebhook(hooks);
    const id = await send('angry@example.org');
    await waitForRecipients(r, id, ['delivered']);
    await mx.waitFor(1);
    const returnPath = mx.messages[0]?.from ?? '';
    const reply = await sendReport(
      r.engine.context.bounceListener?.port ?? 0,
      returnPath,
      arf({ to: returnPath, recipient: 'angry@example.org' }),
    );
    expect(reply.data).toMatch(/^250/);
    await waitForRecipients(r, id, ['complained']);
    await hooks.waitFor(2);
    const types = hooks.received.map((e) => e.json.type).sort();
    expect(types).toEqual(['complained', 'delivered']);
    expect(hooks.received.find((e) => e.json.type === 'complained')?.json).toMatchObject({
      recipient: 'angry@example.org',
      reason: 'feedback',
    });
  });

  it('POSTs a deferred event per failed attempt and then the final delivered one', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 28, 9, 0, 0));
    let tries = 0;
    const hooks = await receiver();
    const { relay: r, send } = await shopWithWebhook(hooks, {
      clock,
      onRcpt: () => (++tries < 2 ? { code: 451, message: '4.2.0 Mailbox busy, try later' } : 'accept'),
    });
    const id = await send('customer@example.org');
    await waitForRecipients(r, id, ['deferred']);
    await hooks.waitFor(1);
    expect(hooks.received[0]?.json).toMatchObject({
      type: 'deferred',
      status: '4.2.0',
      reply: '451 4.2.0 Mailbox busy, try later',
      attempts: 1,
    });
    clock.advance(HOUR);
    await waitForRecipients(r, id, ['delivered']);
    await hooks.waitFor(2);
    expect(hooks.received[1]?.json).toMatchObject({ type: 'delivered', attempts: 2 });
    expect(hooks.received[1]?.json.id).not.toBe(hooks.received[0]?.json.id);
  });
});

describe('webhook retries', () => {
  it('retries a receiver that answers 500 on the backoff schedule and, once it recovers, delivers the event once', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 28, 9, 0, 0));
    const hooks = await receiver((n) => (n < 2 ? 500 : 204));
    const { relay: r, endpoint, secret, send } = await shopWithWebhook(hooks, { clock });
    const id = await send('customer@example.org');
    await waitForRecipients(r, id, ['delivered']);
    await hooks.waitFor(1);
    await expect
      .poll(async () => (await r.call('webhooks.history', { id: endpoint.id }))[0]?.outcome)
      .toBe('retrying');
    // Not due before the schedule's 30 seconds.
    clock.advance(29_000);
    await dispatchNow(r);
    expect(hooks.received).toHaveLength(1);
    clock.advance(1_000);
    await dispatchNow(r);
    expect(hooks.received).toHaveLength(2);
    clock.advance(2 * 60_000);
    await dispatchNow(r);
    expect(hooks.received).toHaveLength(3);
    clock.advance(24 * HOUR);
    await dispatchNow(r);
    expect(hooks.received).toHaveLength(3);

    const bodies = new Set(hooks.received.map((e) => e.body));
    expect(bodies.size).toBe(1);
    expect(new Set(hooks.received.map((e) => e.headers['relaydesk-event-id'])).size).toBe(1);
    for (const e of hooks.received)
      expect(signatureValid(e.headers['relaydesk-signature'], e.body, secret)).toBe(true);
    const history = await r.call('webhooks.history', { id: endpoint.id });
    expect(history.map((a) => [a.statusCode, a.outcome])).toEqual([
      [204, 'delivered'],
      [500, 'retrying'],
      [500, 'retrying'],
    ]);
    expect(history[2]?.error).toBe('HTTP 500: receiver is down');
  });

  it('gives up 24 hours after the event and marks it failed', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 28, 9, 0, 0));
    const hooks = await receiver(() => 503);
    const { relay: r, sender, endpoint, send } = await shopWithWebhook(hooks, { clock });
    const id = await send('customer@example.org');
    await waitForRecipients(r, id, ['delivered']);
    await hooks.waitFor(1);
    const started = clock.now();
    for (let i = 0; i < 40; i++) {
      const [view] = await r.call('webhooks.list', { connectionId: sender.connection.id });
      if (view?.failed === 1) break;
      clock.advance(HOUR);
      await dispatchNow(r);
    }
    const [view] = await r.call('webhooks.list', { connectionId: sender.connection.id });
    expect(view).toMatchObject({
      pending: 0,
      failed: 1,
      lastAttempt: { statusCode: 503, outcome: 'failed' },
    });
    expect(clock.now() - started).toBeGreaterThanOrEqual(23 * HOUR);
    expect(clock.now() - started).toBeLessThanOrEqual(25 * HOUR);
    const count = hooks.received.length;
    clock.advance(10 * HOUR);
    await dispatchNow(r);
    expect(hooks.received).toHaveLength(count);
    const history = await r.call('webhooks.history', { id: endpoint.id, limit: 200 });
    expect(history).toHaveLength(count);
    expect(history.filter((a) => a.outcome === 'failed')).toHaveLength(1);
  });

  it('keeps an event the receiver did not take in the outbox across a restart, and sends it after', async () => {
    let up = false;
    const hooks = await receiver(() => (up ? 200 : 500));
    const { relay: r, send, endpoint } = await shopWithWebhook(hooks);
    const id = await send('customer@example.org');
    await waitForRecipients(r, id, ['delivered']);
    await hooks.waitFor(1);
    const eventId = hooks.received[0]?.json.id;
    await r.stop();

    up = true;
    relay = await startRelay({ dataDir: r.dataDir });
    // Due 30 s after the failed attempt: run the dispatcher with the schedule's wait passed.
    const store = relay.engine.context.store;
    store.db.prepare('UPDATE webhook_outbox SET next_attempt_at = 0').run();
    await dispatchNow(relay);
    expect(hooks.received).toHaveLength(2);
    expect(hooks.received[1]?.json.id).toBe(eventId);
    expect(hooks.received[1]?.status).toBe(200);
    expect((await relay.call('webhooks.history', { id: endpoint.id })).map((a) => a.outcome)).toEqual([
      'delivered',
      'retrying',
    ]);
  });
});

describe('webhook endpoints', () => {
  it('refuse URLs that are not http(s), carry credentials or name no host, with the field and what to do', async () => {
    relay = await startRelay();
    const { connection } = await createConnection(relay);
    for (const [url, said] of [
      ['ftp://shop.example/hooks', /https:\/\//],
      ['https://user:secret@shop.example/hooks', /user name or password/],
      ['shop.example/hooks', /full http:\/\/ or https:\/\/ address/],
      ['', /enter the address/],
    ] as const) {
      const failed = await relay
        .call('webhooks.create', { connectionId: connection.id, url })
        .catch((e) => e);
      expect(failed.code).toBe('invalid_params');
      expect(failed.error.fields.url).toMatch(said);
    }
    const noTypes = await relay
      .call('webhooks.create', { connectionId: connection.id, url: 'https://shop.example/h', eventTypes: [] })
      .catch((e) => e);
    expect(noTypes.error.fields.eventTypes).toMatch(/at least one/);
    await relay.call('webhooks.create', { connectionId: connection.id, url: 'https://shop.example/h' });
    const twice = await relay
      .call('webhooks.create', { connectionId: connection.id, url: 'https://shop.example/h' })
      .catch((e) => e);
    expect(twice.code).toBe('conflict');
    expect(twice.error.fields.url).toMatch(/already an endpoint/);
    const unknown = await relay.call('webhooks.list', { connectionId: 'cnothere' }).catch((e) => e);
    expect(unknown.code).toBe('not_found');
  });

  it('send a signed test event on request, rotate the secret (the old one no longer verifies) and stop queuing when disabled', async () => {
    const hooks = await receiver();
    const { relay: r, endpoint, secret, send } = await shopWithWebhook(hooks);
    const attempt = await r.call('webhooks.sendTest', { id: endpoint.id });
    expect(attempt).toMatchObject({ type: 'test', statusCode: 200, outcome: 'test', error: '' });
    expect(hooks.received[0]?.json).toMatchObject({ type: 'test', id: attempt.eventId });
    expect(
      signatureValid(
        hooks.received[0]?.headers['relaydesk-signature'],
        hooks.received[0]?.body ?? '',
        secret,
      ),
    ).toBe(true);

    const rotated = await r.call('webhooks.rotateSecret', { id: endpoint.id });
    expect(rotated.secret).not.toBe(secret);
    await r.call('webhooks.sendTest', { id: endpoint.id });
    const second = hooks.received[1];
    expect(signatureValid(second?.headers['relaydesk-signature'], second?.body ?? '', rotated.secret)).toBe(
      true,
    );
    expect(signatureValid(second?.headers['relaydesk-signature'], second?.body ?? '', secret)).toBe(false);

    await r.call('webhooks.update', { id: endpoint.id, enabled: false });
    const id = await send('customer@example.org');
    await waitForRecipients(r, id, ['delivered']);
    await dispatchNow(r);
    expect(hooks.received).toHaveLength(2);
    expect(r.engine.context.store.db.prepare('SELECT COUNT(*) FROM webhook_outbox').pluck().get()).toBe(0);

    await r.call('webhooks.delete', { id: endpoint.id });
    expect(await r.call('webhooks.history', { id: endpoint.id }).catch((e) => e.code)).toBe('not_found');
  });

  it('keep the signing secret sealed in the store (not in the database or its WAL in clear), still signing after a restart', async () => {
    const hooks = await receiver();
    const { relay: r, endpoint, secret } = await shopWithWebhook(hooks);
    const inStore = ['relaydesk.db', 'relaydesk.db-wal']
      .map((f) => join(r.dataDir, f))
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f));
    expect(inStore.length).toBeGreaterThan(0);
    for (const bytes of inStore) expect(bytes.includes(secret)).toBe(false);
    expect(r.engine.context.store.webhooks.get(endpoint.id)?.secret).toMatch(/^enc:local:/);
    await r.stop();
    relay = await startRelay({ dataDir: r.dataDir });
    await relay.call('webhooks.sendTest', { id: endpoint.id });
    expect(
      signatureValid(
        hooks.received[0]?.headers['relaydesk-signature'],
        hooks.received[0]?.body ?? '',
        secret,
      ),
    ).toBe(true);
  });

  it('answer a receiver that redirects or does not listen with an error in the history, not a delivery', async () => {
    const hooks = await receiver(() => 302);
    const { relay: r, endpoint } = await shopWithWebhook(hooks);
    expect(await r.call('webhooks.sendTest', { id: endpoint.id })).toMatchObject({
      statusCode: 302,
      error: expect.stringMatching(/redirects are not followed/),
    });
    await hooks.close();
    receivers.splice(receivers.indexOf(hooks), 1);
    expect(await r.call('webhooks.sendTest', { id: endpoint.id })).toMatchObject({
      statusCode: null,
      error: expect.stringMatching(/connection refused/),
    });
  });
});
