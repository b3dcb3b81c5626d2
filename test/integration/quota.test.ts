import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/main/engine/clock';
import { createConnection, startRelay, type TestRelay, waitForRecipients } from '../helpers/engine';
import { mailer } from '../helpers/mailer';
import { type Sink, startSink } from '../helpers/sink';
import { authArgs, swaks } from '../helpers/swaks';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let relay: TestRelay | undefined;
let mx: Sink | undefined;
afterEach(async () => {
  await relay?.dispose();
  await mx?.close();
  relay = undefined;
  mx = undefined;
});

/** A relay delivering example.org and alerts.example to a local sink, with a live and a sandbox connection. */
async function setUp(
  options: {
    clock?: ManualClock;
    overrides?: NonNullable<Parameters<typeof startRelay>[0]>['overrides'];
  } = {},
) {
  mx = await startSink({
    onRcpt: (a) => (a.startsWith('gone@') ? { code: 550, message: '5.1.1 User unknown' } : 'accept'),
  });
  const route = `127.0.0.1:${mx.port}`;
  relay = await startRelay({
    ...(options.clock ? { clock: options.clock } : {}),
    overrides: { 'delivery.routes': { 'example.org': route, 'alerts.example': route }, ...options.overrides },
  });
  const live = await createConnection(relay, { name: 'Shop' });
  const sandbox = await createConnection(relay, { name: 'Dev', mode: 'sandbox' });
  const r = relay;
  const send = async (access: { username: string; password: string }, to = 'customer@example.org') => {
    const info = await mailer(r.smtpPort, access).sendMail({
      from: 'shop@example.com',
      to,
      subject: 'Order',
      text: 'x',
    });
    return /queued as (\w+)/.exec(info.response)?.[1] ?? '';
  };
  const deliver = async (n: number, to = 'customer@example.org') => {
    for (let i = 0; i < n; i++)
      await waitForRecipients(r, await send(live.access, to), ['delivered', 'bounced']);
  };
  return { r, live: live.access, sandbox: sandbox.access, send, deliver, sink: mx };
}

describe('the demo quota', () => {
  it('grants 1,000 mails to a new install and keeps it on the demo', async () => {
    const { r } = await setUp();
    const q = await r.call('quota.get', {});
    expect(q).toMatchObject({
      remaining: 1000,
      balance: 1000,
      overage: 0,
      onDemo: true,
      demoHourlyLimit: 25,
    });
    expect(q.blocks).toEqual([
      expect.objectContaining({ kind: 'demo', size: 1000, used: 0, validUntil: null }),
    ]);
  });

  it('refuses the 26th mail within one hour with 451 4.7.1 (swaks) and lets it through the next hour', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 28, 9, 0, 0));
    const { r, live } = await setUp({ clock });
    await r.call('queue.pause', {});
    const send = () =>
      swaks(r.smtpPort, [...authArgs(live), '--from', 'shop@example.com', '--to', 'c@example.org']);
    for (let i = 0; i < 25; i++) {
      expect(
        (await send()).replies.some((l) => l.startsWith('250 2.0.0')),
        `mail ${i + 1}`,
      ).toBe(true);
      clock.advance(60_000);
    }
    const refused = await send();
    expect(refused.replies).toContain(
      '451 4.7.1 Demo quota: at most 25 mails an hour; try again after 2026-11-28T10:00:00Z, or book a block of quota in Relaydesk (Quota & Billing) to lift the limit',
    );
    expect((await r.call('quota.get', {})).rateLimitedUntil).toBe(Date.UTC(2026, 10, 28, 10, 0, 0));
    clock.advance(35 * 60_000);
    expect((await send()).replies.some((l) => l.startsWith('250 2.0.0'))).toBe(true);
  });
});

describe('blocks', () => {
  it('add quota, lift the demo limit, renew after 30 days, and let their unused rest expire', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 1));
    const { r, deliver } = await setUp({ clock });
    const booked = await r.call('quota.bookBlock', { size: 25_000 });
    expect(booked).toMatchObject({ remaining: 26_000, onDemo: false });
    await deliver(3);
    const used = await r.call('quota.get', {});
    // The block ends first, so it is used first; the demo grant never expires.
    expect(used.blocks.find((b) => b.kind === 'block')?.used).toBe(3);
    expect(used.remaining).toBe(25_997);

    clock.advance(30 * DAY);
    const renewed = await r.call('quota.get', {});
    const [newest, old] = renewed.blocks.filter((b) => b.kind === 'block');
    expect(old).toMatchObject({ state: 'expired', expired: 24_997, used: 3 });
    expect(newest).toMatchObject({
      state: 'active',
      size: 25_000,
      used: 0,
      validFrom: Date.UTC(2026, 11, 1),
      autoRenew: true,
    });
    expect(renewed.remaining).toBe(26_000);
    const [current, first] = await r.call('quota.statements', {});
    expect(first).toMatchObject({ used: 3, expired: 0, blocksMicros: 19_000_000 });
    expect(current).toMatchObject({ expired: 24_997, blocks: [expect.objectContaining({ renewal: true })] });
  });

  it('expire separately when two overlap, each at its own end, the one ending first used first', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 1));
    const { r, deliver } = await setUp({ clock });
    await r.call('quota.bookBlock', { size: 25_000, autoRenew: false });
    clock.advance(10 * DAY);
    await r.call('quota.bookBlock', { size: 50_000, autoRenew: false });
    await deliver(2);
    clock.advance(20 * DAY);
    let q = await r.call('quota.get', {});
    const small = q.blocks.find((b) => b.size === 25_000);
    const large = q.blocks.find((b) => b.size === 50_000);
    expect(small).toMatchObject({ state: 'expired', used: 2, expired: 24_998 });
    expect(large).toMatchObject({ state: 'active', used: 0 });
    expect(q.onDemo).toBe(false);
    clock.advance(10 * DAY);
    q = await r.call('quota.get', {});
    expect(q.blocks.find((b) => b.size === 50_000)).toMatchObject({ state: 'expired', expired: 50_000 });
    expect(q).toMatchObject({ remaining: 1000, onDemo: true });
  });

  it('refuses a size that is not offered, saying which are', async () => {
    const { r } = await setUp();
    await expect(r.call('quota.bookBlock', { size: 30_000 })).rejects.toThrow(
      /book one of 25000, 50000, 100000, 250000/,
    );
  });
});

describe('usage', () => {
  it('charges delivered and bounced mail, and never sandbox captures', async () => {
    const { r, deliver, send, sandbox } = await setUp();
    await deliver(2);
    await deliver(1, 'gone@example.org');
    const captured = await send(sandbox);
    await waitForRecipients(r, captured, ['captured']);
    const q = await r.call('quota.get', {});
    expect(q.remaining).toBe(997);
    expect(q.usageByDay.reduce((n, d) => n + d.used, 0)).toBe(3);
  });

  it('goes on past zero, and the statement bills exactly the overage at the set price', async () => {
    const { r, deliver } = await setUp({ overrides: { 'quota.demoGrant': 3 } });
    await deliver(5);
    const q = await r.call('quota.get', {});
    expect(q).toMatchObject({ remaining: 0, overage: 2, balance: -2 });
    const [statement] = await r.call('quota.statements', {});
    expect(statement).toMatchObject({ used: 3, overage: 2, overageMicros: 1900, totalMicros: 1900 });
    expect(statement?.byConnection).toEqual([
      { connectionId: expect.any(String), connectionName: 'Shop', used: 3, overage: 2 },
    ]);
    await r.call('settings.update', { values: { 'quota.overagePrice': '0.001' } });
    await deliver(1);
    expect((await r.call('quota.statements', {}))[0]).toMatchObject({ overage: 3, overageMicros: 2900 });
  });

  it('exports a statement as CSV whose lines and total match the ledger, and as a printable page', async () => {
    const { r, deliver } = await setUp({ overrides: { 'quota.demoGrant': 2 } });
    await r.call('quota.bookBlock', { size: 25_000 });
    await deliver(3);
    const [statement] = await r.call('quota.statements', {});
    const csv = await r.call('quota.exportStatement', {
      periodStart: statement?.periodStart ?? 0,
      format: 'csv',
    });
    expect(csv.filename).toMatch(/^relaydesk-statement-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = csv.content
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    expect(lines[0]).toEqual(['period_start', 'period_end', 'item', 'detail', 'mails', 'amount_eur']);
    const item = (name: string) => lines.find((l) => l[2] === name);
    expect(item('block')?.slice(4)).toEqual(['25000', '19.00000']);
    expect(item('used')?.[4]).toBe('3');
    expect(item('overage')?.slice(4)).toEqual(['0', '0.00000']);
    expect(item('total')?.slice(4)).toEqual(['3', '19.00000']);
    const html = await r.call('quota.exportStatement', {
      periodStart: statement?.periodStart ?? 0,
      format: 'html',
    });
    expect(html.contentType).toMatch(/^text\/html/);
    expect(html.content).toContain('Total: €19.00');
    expect(html.content).not.toMatch(/<script/i);
  });
});

describe('the low-quota alert', () => {
  it('mails the admin once per crossing and fires an event, re-arming only after the balance rose above the threshold', async () => {
    const { r, deliver, sink } = await setUp({ overrides: { 'quota.demoGrant': 5 } });
    await r.call('settings.update', {
      values: { 'quota.alertThreshold': 3, 'alerts.adminEmail': 'admin@alerts.example' },
    });
    const alerts: unknown[] = [];
    r.engine.events.subscribe((e) => {
      if (e.type === 'quota.alert') alerts.push(e.data);
    });
    const toAdmin = () => sink.messages.filter((m) => m.to.includes('admin@alerts.example'));
    await deliver(2);
    expect(toAdmin()).toHaveLength(0);
    await deliver(1);
    await expect.poll(() => toAdmin().length, { timeout: 5000 }).toBe(1);
    expect(toAdmin()[0]?.raw.toString()).toMatch(/Subject: Relaydesk: quota low \(2 mails left\)/);
    expect(alerts).toEqual([expect.objectContaining({ balance: 2, threshold: 3 })]);
    await deliver(2);
    await new Promise((res) => setTimeout(res, 500));
    expect(toAdmin()).toHaveLength(1);
    // Alert mail itself is not billed: 5 delivered to customers used the 5 granted.
    expect((await r.call('quota.get', {})).remaining).toBe(0);

    await r.call('quota.bookBlock', { size: 25_000 });
    expect((await r.call('quota.get', {})).alert.below).toBe(false);
    await r.call('settings.update', { values: { 'quota.alertThreshold': 30_000 } });
    await deliver(1);
    await expect.poll(() => toAdmin().length, { timeout: 5000 }).toBe(2);
    expect(alerts).toHaveLength(2);
  });
});
