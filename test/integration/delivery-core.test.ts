import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verpAddress } from '../../src/main/delivery/verp';
import { ManualClock } from '../../src/main/engine/clock';
import {
  capturingLogger,
  createConnection,
  startRelay,
  type TestRelay,
  waitForRecipients,
} from '../helpers/engine';
import { FakeDns } from '../helpers/fake-dns';
import { mailer } from '../helpers/mailer';
import { startRawSmtp } from '../helpers/raw-smtp';
import { dsn, sendReport } from '../helpers/reports';
import { type Sink, type SinkOptions, startSink } from '../helpers/sink';

const MINUTE = 60_000;
/** The delivery engine's lease (src/main/queue/delivery-engine.ts). */
const LEASE_MS = 5 * MINUTE;

let relay: TestRelay | undefined;
/** Closed before the relay stops (clients, and raw servers a worker may hang on). */
const closers: (() => Promise<void>)[] = [];
/** Closed after it (sinks wait for the relay's open sessions to end). */
const sinks: Sink[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await relay?.dispose();
  relay = undefined;
  for (const s of sinks.splice(0)) await s.close();
});

async function sink(options: SinkOptions = {}): Promise<Sink> {
  const s = await startSink(options);
  sinks.push(s);
  return s;
}

/** A relay with one connection sending from example.com, and a way to send through it. */
async function start(options: Parameters<typeof startRelay>[0] = {}) {
  relay = await startRelay(options);
  const r = relay;
  await r.call('quota.bookBlock', { size: 25_000 });
  const sender = await createConnection(r, { name: 'Shop' });
  const transport = mailer(r.smtpPort, sender.access, 4);
  closers.push(async () => transport.close());
  const send = async (to: string, subject = 'Your order') => {
    const info = await transport.sendMail({ from: 'shop@example.com', to, subject, text: 'Thank you.' });
    return /queued as (\w+)/.exec(info.response)?.[1] ?? '';
  };
  const returnPathOf = (messageId: string) => {
    const secret = Buffer.from(readFileSync(join(r.dataDir, 'verp-secret'), 'utf8').trim(), 'hex');
    const [row] = r.engine.context.store.queue.recipientsOf(messageId, [
      'queued',
      'deferred',
      'sending',
      'delivered',
      'expired',
      'cancelled',
    ]);
    return verpAddress(secret, messageId, row?.id ?? 0, 'example.com');
  };
  return { relay: r, send, returnPathOf };
}

const statusOf = async (r: TestRelay, id: string) =>
  (await r.call('messages.get', { id })).recipientStates[0]?.status;

const userUnknown = (returnPath: string, recipient: string) =>
  dsn({ to: returnPath, recipient, status: '5.1.1', diagnostic: '550 5.1.1 User unknown' });

describe('leases', () => {
  it('deliver a job whose worker threw once its lease has run out', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 1, 9, 0, 0));
    const mx = await sink();
    const dns = new FakeDns();
    dns.mx.set('lease.example', [{ exchange: 'mx.lease.example', priority: 10 }]);
    dns.a.set('mx.lease.example', ['127.0.0.1']);
    // A resolver that once answers garbage: reading it throws in the worker, past every check.
    let garbage = 1;
    const answer = dns.resolveMx;
    dns.resolveMx = (name: string) =>
      garbage-- > 0
        ? Promise.resolve([null, null] as unknown as { exchange: string; priority: number }[])
        : answer(name);
    const { relay: r, send } = await start({ clock, resolver: dns, mxPort: mx.port });
    const id = await send('customer@lease.example');
    await expect
      .poll(async () => (await r.call('status.get', {})).problems.map((p) => p.key))
      .toContain('delivery:worker');
    expect(await statusOf(r, id)).toBe('sending');
    clock.advance(LEASE_MS - MINUTE);
    await new Promise((res) => setTimeout(res, 1_500));
    expect(await statusOf(r, id)).toBe('sending');

    clock.advance(MINUTE + 1);
    const m = await waitForRecipients(r, id, ['delivered']);
    expect(m.events.map((e) => e.type)).toContain('lease-expired');
    expect(mx.messages).toHaveLength(1);
  });
});

describe('lanes', () => {
  it('let 20 mails to one domain through within 3 s while a tarpit domain holds 500', async () => {
    const tarpit = await startRawSmtp({
      greeting: '220 slow',
      greetingDelayMs: 30_000,
      replyDelayMs: 30_000,
    });
    closers.push(() => tarpit.close());
    const fast = await sink();
    const { relay: r, send } = await start({
      overrides: {
        'delivery.routes': {
          'slow.example': `127.0.0.1:${tarpit.port}`,
          'fast.example': `127.0.0.1:${fast.port}`,
        },
      },
    });
    for (let i = 0; i < 500; i += 25) {
      await Promise.all(Array.from({ length: 25 }, (_, k) => send(`c${i + k}@slow.example`)));
    }
    // The tarpit's lane holds what its connections can take, no more.
    const sending = r.engine.context.store.queue.counts().sending;
    expect(sending).toBeLessThanOrEqual(10);
    expect(tarpit.connections).toBeGreaterThan(0);

    const started = performance.now();
    await Promise.all(Array.from({ length: 20 }, (_, i) => send(`f${i}@fast.example`)));
    await fast.waitFor(20, 10_000);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `20 mails past a tarpit holding 500: all delivered ${seconds.toFixed(2)} s after the first was sent`,
    );
    expect(seconds).toBeLessThan(3);
  }, 120_000);
});

describe('one state machine', () => {
  it('end an async bounce that arrives during a retry in bounced, and refuse the retry’s later result', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 1, 9, 0, 0));
    let returnPath = '';
    let rcpts = 0;
    const mx = await sink({
      onRcpt: (_address, session) => {
        returnPath = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        return ++rcpts === 1 ? { code: 451, message: '4.7.1 Greylisted, try later' } : 'accept';
      },
      dataDelayMs: 2_000,
    });
    const log = capturingLogger();
    const { relay: r, send } = await start({
      clock,
      log,
      overrides: { 'delivery.routes': { 'example.org': `127.0.0.1:${mx.port}` } },
    });
    const id = await send('gone@example.org');
    const deferred = await waitForRecipients(r, id, ['deferred']);
    clock.set(deferred.recipientStates[0]?.nextAttemptAt ?? 0);
    await expect.poll(() => statusOf(r, id)).toBe('sending');

    const port = r.engine.context.bounceListener?.port ?? 0;
    const reported = await sendReport(port, returnPath, userUnknown(returnPath, 'gone@example.org'));
    expect(reported.data).toMatch(/^250 /);
    expect(await statusOf(r, id)).toBe('bounced');

    // The retry's 250 comes after the report: the attempt is kept, the status is not overwritten.
    await mx.waitFor(1);
    await expect.poll(async () => (await r.call('messages.get', { id })).attempts.length).toBe(2);
    const m = await r.call('messages.get', { id });
    expect(m.attempts.map((a) => a.outcome)).toEqual(['deferred', 'delivered']);
    expect(m.recipientStates[0]?.status).toBe('bounced');
    expect(m.events.map((e) => e.type)).not.toContain('delivered');
    expect(log.lines.some((l) => / transition-refused event=delivered .* status=bounced/.test(l))).toBe(true);
    expect((await r.call('suppressions.search', { text: 'gone@example.org' })).items).toHaveLength(1);
  });

  it('keep an expired or cancelled recipient as it is when a report comes later, and bounce a delivered one', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 1, 9, 0, 0));
    const refusing = await sink({ onRcpt: () => ({ code: 450, message: '4.2.1 Try again later' }) });
    const taking = await sink();
    const log = capturingLogger();
    const {
      relay: r,
      send,
      returnPathOf,
    } = await start({
      clock,
      log,
      overrides: {
        'delivery.routes': {
          'late.example': `127.0.0.1:${refusing.port}`,
          'example.org': `127.0.0.1:${taking.port}`,
        },
        'delivery.retrySchedule': '40m',
        'delivery.queueLifetimeHours': 1,
      },
    });
    const port = r.engine.context.bounceListener?.port ?? 0;

    const expired = await send('old@late.example');
    // 9:00 deferred, about 9:40 deferred again, 10:00 (the lifetime) expired.
    for (let n = 1; n <= 3; n++) {
      await expect.poll(async () => (await r.call('messages.get', { id: expired })).attempts.length).toBe(n);
      const state = (await r.call('messages.get', { id: expired })).recipientStates[0];
      if (state?.status === 'expired') break;
      clock.set(state?.nextAttemptAt ?? clock.now());
    }
    await waitForRecipients(r, expired, ['expired']);

    await r.call('queue.pause', { domain: 'example.org' });
    const cancelled = await send('later@example.org');
    await r.call('messages.cancel', { id: cancelled });
    await r.call('queue.resume', { domain: 'example.org' });
    const delivered = await send('fine@example.org');
    await waitForRecipients(r, delivered, ['delivered']);

    for (const [id, address] of [
      [expired, 'old@late.example'],
      [cancelled, 'later@example.org'],
      [delivered, 'fine@example.org'],
    ] as const) {
      const path = returnPathOf(id);
      expect((await sendReport(port, path, userUnknown(path, address))).data).toMatch(/^250 /);
    }
    expect(await statusOf(r, expired)).toBe('expired');
    expect(await statusOf(r, cancelled)).toBe('cancelled');
    expect(await statusOf(r, delivered)).toBe('bounced');
    // The reports are facts all the same: kept as bounces, the addresses suppressed.
    expect((await r.call('bounces.search', {})).items.map((b) => b.recipient).sort()).toEqual([
      'fine@example.org',
      'later@example.org',
      'old@late.example',
    ]);
    const refusals = log.lines.filter((l) => l.includes('transition-refused event=reportBounced'));
    expect(refusals.map((l) => /status=(\w+)/.exec(l)?.[1]).sort()).toEqual(['cancelled', 'expired']);
  });

  it('do not send to an address suppressed while its mail waited: the recipient ends suppressed', async () => {
    const mx = await sink();
    const { relay: r, send } = await start({
      overrides: { 'delivery.routes': { 'example.org': `127.0.0.1:${mx.port}` } },
    });
    await r.call('queue.pause', { domain: 'example.org' });
    const id = await send('left@example.org');
    await r.call('suppressions.add', { address: 'left@example.org', note: 'asked to be removed' });
    await r.call('queue.resume', { domain: 'example.org' });
    const m = await waitForRecipients(r, id, ['suppressed']);
    expect(m.recipientStates[0]?.lastReply).toMatch(/suppression list/);
    await new Promise((res) => setTimeout(res, 500));
    expect(mx.messages).toHaveLength(0);
  });

  it('apply a report that comes twice, byte for byte, once', async () => {
    const mx = await sink();
    const { relay: r, send } = await start({
      overrides: { 'delivery.routes': { 'example.org': `127.0.0.1:${mx.port}` } },
    });
    const id = await send('twice@example.org');
    await waitForRecipients(r, id, ['delivered']);
    const path = mx.messages[0]?.from ?? '';
    const port = r.engine.context.bounceListener?.port ?? 0;
    const report = userUnknown(path, 'twice@example.org');
    const first = await sendReport(port, path, report);
    const second = await sendReport(port, path, report);
    const firstId = /report (r\w+) received/.exec(first.data ?? '')?.[1];
    expect(second.data).toBe(`250 2.0.0 Ok: report ${firstId} was received before; nothing changed`);
    expect((await r.call('bounces.search', {})).items).toHaveLength(1);
  });
});

describe('facts that agree', () => {
  it('never send a mail again when booking its charge fails, and book it once booking works', async () => {
    const mx = await sink();
    const { relay: r, send } = await start({
      overrides: { 'delivery.routes': { 'example.org': `127.0.0.1:${mx.port}` } },
    });
    const { db } = r.engine.context.store;
    db.exec(
      "CREATE TEMP TRIGGER billing_down BEFORE INSERT ON quota_ledger BEGIN SELECT RAISE(ABORT, 'billing is down'); END",
    );
    const id = await send('paid@example.org');
    await waitForRecipients(r, id, ['delivered']);
    await expect
      .poll(async () => (await r.call('status.get', {})).problems.map((p) => p.key))
      .toContain('quota:billing');
    const pending = () => db.prepare('SELECT COUNT(*) FROM charge_outbox').pluck().get();
    const charges = () =>
      db.prepare("SELECT COUNT(*) FROM quota_ledger WHERE kind IN ('usage', 'overage')").pluck().get();
    expect(pending()).toBe(1);
    expect(charges()).toBe(0);
    await new Promise((res) => setTimeout(res, 1_500));
    expect(mx.messages).toHaveLength(1);

    // Booking works again: the next outcome books what waited, each charge once.
    db.exec('DROP TRIGGER billing_down');
    await waitForRecipients(r, await send('next@example.org'), ['delivered']);
    expect(pending()).toBe(0);
    expect(charges()).toBe(2);
    expect(mx.messages).toHaveLength(2);
    expect((await r.call('status.get', {})).problems).toEqual([]);
  });
});

describe('routes', () => {
  it('deliver through the second MX when the first refuses in its greeting', async () => {
    const refusing = await startRawSmtp({ host: '127.0.0.2', greeting: '554 5.7.1 No SMTP service here' });
    closers.push(() => refusing.close());
    const backup = await sink({ host: '127.0.0.3', port: refusing.port });
    const dns = new FakeDns();
    dns.mx.set('twomx.example', [
      { exchange: 'mx1.twomx.example', priority: 10 },
      { exchange: 'mx2.twomx.example', priority: 20 },
    ]);
    dns.a.set('mx1.twomx.example', ['127.0.0.2']);
    dns.a.set('mx2.twomx.example', ['127.0.0.3']);
    const { relay: r, send } = await start({ resolver: dns, mxPort: refusing.port });
    const m = await waitForRecipients(r, await send('someone@twomx.example'), ['delivered']);
    expect(refusing.connections).toBe(1);
    expect(m.attempts).toHaveLength(1);
    expect(m.attempts[0]).toMatchObject({ host: 'mx2.twomx.example', ip: '127.0.0.3', outcome: 'delivered' });
    expect(backup.messages).toHaveLength(1);
  });

  it('bounce when every MX refuses in its greeting', async () => {
    const first = await startRawSmtp({ host: '127.0.0.2', greeting: '554 5.7.1 No SMTP service here' });
    closers.push(() => first.close());
    const second = await startRawSmtp({
      host: '127.0.0.3',
      port: first.port,
      greeting: '554 5.7.1 Not here either',
    });
    closers.push(() => second.close());
    const dns = new FakeDns();
    dns.mx.set('nomx.example', [
      { exchange: 'mx1.nomx.example', priority: 10 },
      { exchange: 'mx2.nomx.example', priority: 20 },
    ]);
    dns.a.set('mx1.nomx.example', ['127.0.0.2']);
    dns.a.set('mx2.nomx.example', ['127.0.0.3']);
    const { relay: r, send } = await start({ resolver: dns, mxPort: first.port });
    const m = await waitForRecipients(r, await send('someone@nomx.example'), ['bounced']);
    expect(first.connections + second.connections).toBe(2);
    expect(m.attempts[0]?.replyCode).toBe(554);
  });
});
