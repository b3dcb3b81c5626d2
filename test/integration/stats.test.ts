import type { PushEvent } from '@shared/api/contract';
import { STAT_METRICS, type StatCounts } from '@shared/domain/stats';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createConnection, startRelay, type TestRelay, waitForRecipients } from '../helpers/engine';
import { mailer } from '../helpers/mailer';
import { arf, dsn } from '../helpers/reports';
import { type Sink, startSink } from '../helpers/sink';
import { SmtpSession } from '../helpers/smtp-session';

let relay: TestRelay;
let mx: Sink;
let shop: { username: string; password: string };
let shopId: string;
let crm: { username: string; password: string };
let crmId: string;
const triedOnce = new Set<string>();

beforeAll(async () => {
  mx = await startSink({
    onRcpt: (a) => {
      if (a.startsWith('nobody')) return { code: 550, message: '5.1.1 User unknown' };
      if (a.startsWith('later') && !triedOnce.has(a)) {
        triedOnce.add(a);
        return { code: 451, message: '4.7.1 Greylisted, try again later' };
      }
      return 'accept';
    },
  });
  relay = await startRelay({
    overrides: {
      'delivery.routes': { 'example.org': `127.0.0.1:${mx.port}` },
      'delivery.retrySchedule': '1s',
    },
  });
  await relay.call('quota.bookBlock', { size: 25000 });
  const a = await createConnection(relay, { name: 'Shop' });
  const b = await createConnection(relay, { name: 'CRM', hourlyLimit: 1 }, 'crm.example.net');
  shop = a.access;
  shopId = a.connection.id;
  crm = b.access;
  crmId = b.connection.id;
});
afterAll(async () => {
  await relay.dispose();
  await mx.close();
});

async function send(
  access: { username: string; password: string },
  from: string,
  to: string | string[],
): Promise<string> {
  const info = await mailer(relay.smtpPort, access).sendMail({ from, to, subject: 'Your order', text: 'x' });
  return /queued as (\w+)/.exec(info.response)?.[1] ?? '';
}

/** Hands a report to the bounce listener as a remote MTA would. */
async function report(returnPath: string, body: string): Promise<void> {
  const { session } = await SmtpSession.open(relay.engine.context.bounceListener?.port ?? 0);
  await session.command('EHLO mx.example.org');
  await session.command('MAIL FROM:<>');
  expect(await session.command(`RCPT TO:<${returnPath}>`)).toMatch(/^250/);
  await session.command('DATA');
  session.write(`${body}\r\n.\r\n`);
  expect(await session.reply()).toMatch(/^250/);
  session.close();
}

const returnPathOf = (id: string) => mx.messages.find((m) => m.from.startsWith(`rd-${id}-`))?.from ?? '';

/** The same counts, derived from the event log and the bounce table rather than the roll-ups. */
function countsFromEventLog(filter: { connectionId?: string; domain?: string } = {}): StatCounts {
  const db = relay.engine.context.store.db;
  const where = [
    filter.connectionId ? `COALESCE(m.connection_id, e.connection_id) = '${filter.connectionId}'` : '1',
    filter.domain ? `m.sending_domain = '${filter.domain}'` : '1',
  ].join(' AND ');
  const events = (type: string) =>
    db
      .prepare(
        `SELECT COUNT(*) FROM events e LEFT JOIN messages m ON m.id = e.message_id WHERE e.type = ? AND ${where}`,
      )
      .pluck()
      .get(type) as number;
  const bounces = (condition: string) =>
    db
      .prepare(
        `SELECT COUNT(*) FROM bounces b LEFT JOIN messages m ON m.id = b.message_id, (SELECT NULL AS connection_id) e WHERE ${condition} AND ${where}`,
      )
      .pluck()
      .get() as number;
  return {
    arrived: db
      .prepare(
        `SELECT COUNT(*) FROM recipients r JOIN messages m ON m.id = r.message_id
         JOIN events e ON e.message_id = m.id AND e.type = 'accepted' WHERE ${where}`,
      )
      .pluck()
      .get() as number,
    delivered: events('delivered'),
    deferred: events('deferred'),
    expired: events('expired'),
    rejected: events('rejected'),
    bouncedHard: bounces("b.kind = 'bounce' AND (b.hard IS NULL OR b.hard = 1)"),
    bouncedSoft: bounces("b.kind = 'bounce' AND b.hard = 0"),
    complained: bounces("b.kind = 'complaint'"),
  };
}

describe('statistics roll-ups', () => {
  it('equal the counts derived from the event log after delivered, deferred-then-delivered, bounced, complained and rejected mail', async () => {
    const pushedAt: number[] = [];
    const detach = relay.engine.events.attachConsole();
    const unsubscribe = relay.engine.events.subscribe((e) => {
      if (e.type === 'stats.changed') pushedAt.push(performance.now());
    });
    // A failure here must not leave a console attached for the next test.
    onTestFinished(() => {
      unsubscribe();
      detach();
    });

    const delivered = await send(shop, 'shop@example.com', ['a@example.org', 'b@example.org']);
    const greylisted = await send(shop, 'shop@example.com', 'later@example.org');
    const refused = await send(shop, 'shop@example.com', 'nobody@example.org');
    const complaint = await send(shop, 'shop@example.com', 'angry@example.org');
    const dsnLater = await send(shop, 'shop@example.com', 'gone@example.org');
    const fromCrm = await send(crm, 'news@crm.example.net', 'c@example.org');
    // The CRM's hourly limit is 1: its second mail is refused at intake (rejected).
    await expect(send(crm, 'news@crm.example.net', 'd@example.org')).rejects.toThrow(/451/);
    // A From: domain the shop may not use: refused after DATA (rejected).
    await expect(send(shop, 'shop@elsewhere.example', 'e@example.org')).rejects.toThrow(/550/);

    await waitForRecipients(relay, delivered, ['delivered']);
    await waitForRecipients(relay, greylisted, ['delivered']);
    await waitForRecipients(relay, refused, ['bounced']);
    await waitForRecipients(relay, complaint, ['delivered']);
    await waitForRecipients(relay, dsnLater, ['delivered']);
    await waitForRecipients(relay, fromCrm, ['delivered']);
    await report(
      returnPathOf(complaint),
      arf({ to: returnPathOf(complaint), recipient: 'angry@example.org' }),
    );
    await report(
      returnPathOf(dsnLater),
      dsn({
        to: returnPathOf(dsnLater),
        recipient: 'gone@example.org',
        status: '5.1.1',
        diagnostic: '550 5.1.1 User unknown',
      }),
    );
    await waitForRecipients(relay, complaint, ['complained']);
    await waitForRecipients(relay, dsnLater, ['bounced']);

    const summary = await relay.call('stats.summary', {});
    const week = summary.last7Days.counts;
    expect(week).toEqual(countsFromEventLog());
    // And what the workload says they must be.
    expect(week).toEqual({
      arrived: 7,
      delivered: 6,
      deferred: 1,
      bouncedHard: 2,
      bouncedSoft: 0,
      expired: 0,
      complained: 1,
      rejected: 2,
    });
    expect(summary.last30Days.counts).toEqual(week);
    expect(summary.last7Days.deliveryRate).toBeCloseTo(6 / 8);
    expect(summary.last7Days.bounceRate).toBeCloseTo(2 / 8);

    // Filtered by connection and by sending domain.
    for (const filter of [{ connectionId: shopId }, { connectionId: crmId }, { domain: 'crm.example.net' }]) {
      const counts = (await relay.call('stats.summary', filter)).last7Days.counts;
      expect(counts).toEqual(countsFromEventLog(filter));
    }
    expect((await relay.call('stats.summary', { connectionId: crmId })).last7Days.counts).toMatchObject({
      arrived: 1,
      delivered: 1,
      rejected: 1,
    });

    // Every bucket size adds up to the same totals.
    for (const bucket of ['minute', 'hour', 'day'] as const) {
      const { points } = await relay.call('stats.series', { bucket });
      for (const metric of STAT_METRICS) {
        expect(
          points.reduce((sum, p) => sum + p[metric], 0),
          `${bucket} ${metric}`,
        ).toBe(week[metric]);
      }
    }

    // The live push came, throttled: never two within 250 ms of each other (measured here, after
    // the subscribers ahead of this one: up to half a millisecond of their jitter).
    await expect.poll(() => pushedAt.length).toBeGreaterThan(1);
    const gaps = pushedAt.slice(1).map((t, i) => t - (pushedAt[i] ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(249.5);
  });

  it('pushes no stats.changed while no console listens', async () => {
    const pushed: PushEvent[] = [];
    const unsubscribe = relay.engine.events.subscribe((e) => pushed.push(e));
    const id = await send(shop, 'shop@example.com', 'quiet@example.org');
    await waitForRecipients(relay, id, ['delivered']);
    await new Promise((r) => setTimeout(r, 400));
    unsubscribe();
    expect(pushed.some((e) => e.type === 'message.accepted')).toBe(true);
    expect(pushed.filter((e) => e.type === 'stats.changed')).toEqual([]);
  });

  it('refuses a series range of more than 2,000 buckets with a next step', async () => {
    await expect(
      relay.call('stats.series', { bucket: 'minute', from: 0, to: Date.now() }),
    ).rejects.toMatchObject({
      code: 'invalid_params',
      message: expect.stringMatching(/larger bucket/),
    });
  });
});
