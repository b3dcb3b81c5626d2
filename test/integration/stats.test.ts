import type { PushEvent } from '@shared/api/contract';
import { RECIPIENT_STATUSES } from '@shared/domain/message';
import { STAT_METRICS, type StatCounts } from '@shared/domain/stats';
import { isoDay } from '@shared/domain/time-zone';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ManualClock } from '../../src/main/engine/clock';
import { createConnection, startRelay, type TestRelay, waitForRecipients } from '../helpers/engine';
import { mailer, sendMail } from '../helpers/mailer';
import { arf, dsn, sendReport } from '../helpers/reports';
import { type Sink, startSink } from '../helpers/sink';

let relay: TestRelay;
let mx: Sink;
let shop: { username: string; password: string };
let shopId: string;
let crm: { username: string; password: string };
let crmId: string;
const triedOnce = new Set<string>();
const tries = new Map<string, number>();

beforeAll(async () => {
  mx = await startSink({
    onRcpt: (a) => {
      if (a.startsWith('nobody')) return { code: 550, message: '5.1.1 User unknown' };
      if (a.startsWith('later') && !triedOnce.has(a)) {
        triedOnce.add(a);
        return { code: 451, message: '4.7.1 Greylisted, try again later' };
      }
      // Refused for a while: two tries fail, the third gets through.
      if (a.startsWith('twice')) {
        tries.set(a, (tries.get(a) ?? 0) + 1);
        if ((tries.get(a) ?? 0) <= 2) return { code: 451, message: '4.7.1 Greylisted, try again later' };
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

const send = (access: { username: string; password: string }, from: string, to: string | string[]) =>
  sendMail(relay.smtpPort, access, { from, to });

/** Hands a report to the bounce listener as a remote MTA would. */
async function report(returnPath: string, body: string): Promise<void> {
  const answer = await sendReport(relay.engine.context.bounceListener?.port ?? 0, returnPath, body);
  expect(answer.rcpt).toMatch(/^250/);
  expect(answer.data).toMatch(/^250/);
}

const returnPathOf = (id: string) => mx.messages.find((m) => m.from.startsWith(`rd-${id}-`))?.from ?? '';

type Filter = { connectionId?: string; domain?: string };

function whereOf(filter: Filter): string {
  return [
    filter.connectionId ? `m.connection_id = '${filter.connectionId}'` : '1',
    filter.domain ? `m.sending_domain = '${filter.domain}'` : '1',
  ].join(' AND ');
}

/**
 * The activity, counted from the event log and the bounce table rather than the roll-ups: what
 * happened, each recipient at most once per kind (first delivery, first deferral, first bounce
 * or complaint row).
 */
function activityFromLog(filter: Filter = {}): StatCounts {
  const db = relay.engine.context.store.db;
  const where = whereOf(filter);
  const firstEvents = (type: string) =>
    db
      .prepare(
        `SELECT COUNT(*) FROM (SELECT DISTINCT e.message_id, e.recipient FROM events e
         JOIN messages m ON m.id = e.message_id WHERE e.type = ? AND ${where})`,
      )
      .pluck()
      .get(type) as number;
  const firstBounces = (condition: string) =>
    db
      .prepare(
        `SELECT COUNT(*) FROM bounces b JOIN messages m ON m.id = b.message_id
         WHERE ${condition} AND ${where} AND b.id = (SELECT MIN(c.id) FROM bounces c
           WHERE c.message_id = b.message_id AND c.recipient = b.recipient AND c.kind = b.kind)`,
      )
      .pluck()
      .get() as number;
  return {
    arrived: db
      .prepare(`SELECT COUNT(*) FROM recipients r JOIN messages m ON m.id = r.message_id WHERE ${where}`)
      .pluck()
      .get() as number,
    delivered: firstEvents('delivered'),
    deferred: firstEvents('deferred'),
    expired: firstEvents('expired'),
    rejected: db
      .prepare(
        `SELECT COUNT(*) FROM events e WHERE e.type = 'rejected'${filter.connectionId ? ` AND e.connection_id = '${filter.connectionId}'` : ''}${filter.domain ? ' AND 0' : ''}`,
      )
      .pluck()
      .get() as number,
    bouncedHard: firstBounces("b.kind = 'bounce' AND (b.hard IS NULL OR b.hard = 1)"),
    bouncedSoft: firstBounces("b.kind = 'bounce' AND b.hard = 0"),
    complained: firstBounces("b.kind = 'complaint'"),
  };
}

/**
 * What a summary window must say, recounted from the recipients as they are now: each once, in
 * its status (a bounced one hard or soft by its latest bounce row), deferred if it ever was.
 */
function recount(filter: Filter = {}): StatCounts {
  const db = relay.engine.context.store.db;
  const where = whereOf(filter);
  const byStatus = (condition: string) =>
    db
      .prepare(
        `SELECT COUNT(*) FROM recipients r JOIN messages m ON m.id = r.message_id WHERE ${condition} AND ${where}`,
      )
      .pluck()
      .get() as number;
  const latestHard = `COALESCE((SELECT b.hard FROM bounces b WHERE b.recipient_id = r.id AND b.kind = 'bounce'
                       ORDER BY b.id DESC LIMIT 1), 1)`;
  const activity = activityFromLog(filter);
  return {
    arrived: byStatus('1'),
    delivered: byStatus("r.status = 'delivered'"),
    deferred: activity.deferred,
    bouncedHard: byStatus(`r.status = 'bounced' AND ${latestHard} <> 0`),
    bouncedSoft: byStatus(`r.status = 'bounced' AND ${latestHard} = 0`),
    expired: byStatus("r.status = 'expired'"),
    complained: byStatus("r.status = 'complained'"),
    rejected: activity.rejected,
  };
}

describe('statistics roll-ups', () => {
  it('count each recipient once in its final state, and the activity once per recipient, after delivered, deferred-then-delivered, bounced, complained and rejected mail', async () => {
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
    expect(week).toEqual(recount());
    // And what the workload says they must be: gone@ was delivered and then bounced by a report,
    // so it is bounced only; angry@ complained, and is not also delivered.
    expect(week).toEqual({
      arrived: 7,
      delivered: 4,
      deferred: 1,
      bouncedHard: 2,
      bouncedSoft: 0,
      expired: 0,
      complained: 1,
      rejected: 2,
    });
    expect(summary.last30Days.counts).toEqual(week);
    // Got the mail: delivered and complained (5); did not: bounced (2).
    expect(summary.last7Days.deliveryRate).toBeCloseTo(5 / 7);
    expect(summary.last7Days.bounceRate).toBeCloseTo(2 / 7);

    // Filtered by connection and by sending domain.
    for (const filter of [{ connectionId: shopId }, { connectionId: crmId }, { domain: 'crm.example.net' }]) {
      const counts = (await relay.call('stats.summary', filter)).last7Days.counts;
      expect(counts).toEqual(recount(filter));
    }
    expect((await relay.call('stats.summary', { connectionId: crmId })).last7Days.counts).toMatchObject({
      arrived: 1,
      delivered: 1,
      rejected: 1,
    });

    // The activity: what happened, per bucket. gone@ and angry@ were delivered (and then bounced
    // or complained); each bucket size adds up to the same totals, which the event log confirms.
    const activity = activityFromLog();
    expect(activity).toMatchObject({ arrived: 7, delivered: 6, deferred: 1, bouncedHard: 2, complained: 1 });
    for (const bucket of ['minute', 'hour', 'day'] as const) {
      const { points } = await relay.call('stats.series', { bucket });
      for (const metric of STAT_METRICS) {
        expect(
          points.reduce((sum, p) => sum + p[metric], 0),
          `${bucket} ${metric}`,
        ).toBe(activity[metric]);
      }
    }

    // The live push came, throttled: never two within 250 ms of each other (measured here, after
    // the subscribers ahead of this one: up to half a millisecond of their jitter).
    await expect.poll(() => pushedAt.length).toBeGreaterThan(1);
    const gaps = pushedAt.slice(1).map((t, i) => t - (pushedAt[i] ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(249.5);
  });

  it('count a recipient delivered and then bounced by a report once in the rates, however often the report arrives', async () => {
    const { connection, access } = await createConnection(relay, { name: 'Bounced later' });
    const id = await send(access, 'shop@example.com', 'moved@example.org');
    await waitForRecipients(relay, id, ['delivered']);
    const body = dsn({
      to: returnPathOf(id),
      recipient: 'moved@example.org',
      status: '5.1.1',
      diagnostic: '550 5.1.1 User unknown',
    });
    await report(returnPathOf(id), body);
    await waitForRecipients(relay, id, ['bounced']);
    // The same report again, as a remote server that retried its delivery sends it.
    await report(returnPathOf(id), body);

    const filter = { connectionId: connection.id };
    const week = (await relay.call('stats.summary', filter)).last7Days;
    expect(week.counts).toMatchObject({ arrived: 1, delivered: 0, bouncedHard: 1, bouncedSoft: 0 });
    expect(week.deliveryRate).toBe(0);
    expect(week.bounceRate).toBe(1);
    expect(week.counts).toEqual(recount(filter));
    // The activity saw one delivery and one bounce, not two.
    const { points } = await relay.call('stats.series', { bucket: 'hour', ...filter });
    expect(points.reduce((n, p) => n + p.delivered, 0)).toBe(1);
    expect(points.reduce((n, p) => n + p.bouncedHard, 0)).toBe(1);
  });

  it('count a recipient deferred twice and then delivered as deferred once', async () => {
    const { connection, access } = await createConnection(relay, { name: 'Greylisted' });
    const id = await send(access, 'shop@example.com', 'twice@example.org');
    const detail = await waitForRecipients(relay, id, ['delivered']);
    expect(detail.recipientStates[0]?.attempts).toBe(3);

    const filter = { connectionId: connection.id };
    const week = (await relay.call('stats.summary', filter)).last7Days;
    expect(week.counts).toMatchObject({ arrived: 1, delivered: 1, deferred: 1 });
    expect(week.deliveryRate).toBe(1);
    const { points } = await relay.call('stats.series', { bucket: 'minute', ...filter });
    expect(points.reduce((n, p) => n + p.deferred, 0)).toBe(1);
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

  it('pushes no status.changed while no console listens, and pushes again once one attaches', async () => {
    const pushed: PushEvent[] = [];
    const unsubscribe = relay.engine.events.subscribe((e) => pushed.push(e));
    onTestFinished(unsubscribe);
    const quiet = await send(shop, 'shop@example.com', 'quiet-status@example.org');
    await waitForRecipients(relay, quiet, ['delivered']);
    await new Promise((r) => setTimeout(r, 400));
    expect(pushed.some((e) => e.type === 'message.changed')).toBe(true);
    expect(pushed.filter((e) => e.type === 'status.changed')).toEqual([]);

    const detach = relay.engine.events.attachConsole();
    onTestFinished(detach);
    const watched = await send(shop, 'shop@example.com', 'watched-status@example.org');
    await waitForRecipients(relay, watched, ['delivered']);
    await expect.poll(() => pushed.filter((e) => e.type === 'status.changed').length).toBeGreaterThan(0);
  });

  it('status.get counts equal a recount after a mixed workload, and reading them touches no mail table', async () => {
    const { store } = relay.engine.context;
    // More of the lifecycle: a suppression lifted, one added by hand, and retention removing a
    // whole message (its recipients go with it).
    await relay.call('suppressions.remove', { address: 'nobody@example.org' });
    await relay.call('suppressions.add', { address: 'manual@example.org' });
    const removed = await send(shop, 'shop@example.com', ['old1@example.org', 'old2@example.org']);
    await waitForRecipients(relay, removed, ['delivered']);
    expect(store.retention.deleteMessages([removed])).toBe(1);

    const count = (sql: string) => store.db.prepare(sql).pluck().get() as number;
    const byStatus: Record<string, number> = {};
    for (const s of RECIPIENT_STATUSES) {
      const n = count(`SELECT COUNT(*) FROM recipients WHERE status = '${s}'`);
      if (n !== 0) byStatus[s] = n;
    }
    const status = await relay.call('status.get', {});
    expect(status.counts.messages).toBe(count('SELECT COUNT(*) FROM messages'));
    expect(status.counts.suppressions).toBe(count('SELECT COUNT(*) FROM suppressions'));
    expect(status.counts.recipients).toEqual(byStatus);
    expect(status.queue.counts).toEqual({
      queued: byStatus.queued ?? 0,
      deferred: byStatus.deferred ?? 0,
      sending: byStatus.sending ?? 0,
    });
    expect(Object.values(byStatus).reduce((a, b) => a + b, 0)).toBeGreaterThan(10);

    // O(1) in the store's size: the status reads counters, never the mail, its recipients or the
    // quota ledger (one row per sent recipient).
    const statements: string[] = [];
    const prepare = store.db.prepare.bind(store.db);
    store.db.prepare = ((sql: string) => {
      statements.push(sql);
      return prepare(sql);
    }) as typeof store.db.prepare;
    try {
      await relay.call('status.get', {});
    } finally {
      store.db.prepare = prepare;
    }
    expect(statements.length).toBeGreaterThan(0);
    // The billing periods' epoch, the first grant, comes from an index of the grants alone.
    const firstGrant = "SELECT MIN(at) FROM quota_ledger WHERE kind = 'grant'";
    expect(store.db.prepare(`EXPLAIN QUERY PLAN ${firstGrant}`).all()).toEqual([
      expect.objectContaining({ detail: expect.stringContaining('quota_ledger_grants') }),
    ]);
    const tables = /\b(messages|recipients|events|bounces|quota_ledger|suppressions)\b/;
    expect(statements.filter((sql) => sql !== firstGrant && tables.test(sql))).toEqual([]);
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

describe('statistics in the console’s time zone', () => {
  const at = (iso: string) => Date.parse(iso);
  // The relay starts (and the quota's first billing period begins) at 19:00 UTC on 1 November
  // 2026: already 2 November in India, still 1 November in New York.
  const clock = new ManualClock(at('2026-11-01T19:00:00Z'));
  let zoned: TestRelay;
  let access: { username: string; password: string };
  const sent: { to: string; at: number }[] = [];

  beforeAll(async () => {
    // Delivery paused: every recipient stays queued, so each mail is one arrival at its minute.
    zoned = await startRelay({ clock, deliver: false });
    await zoned.call('quota.bookBlock', { size: 25000 });
    ({ access } = await createConnection(zoned, { name: 'Zoned shop' }));
  });
  afterAll(() => zoned.dispose());

  const sendAt = async (iso: string, to: string) => {
    clock.set(at(iso));
    await mailer(zoned.smtpPort, access).sendMail({
      from: 'shop@example.com',
      to,
      subject: 'Order',
      text: 'x',
    });
    sent.push({ to, at: at(iso) });
  };
  const todayIn = async (timeZone: string, now: string) => {
    clock.set(at(now));
    return (await zoned.call('stats.summary', { timeZone })).today;
  };

  it('counts "today" in America/New_York from its midnight, the day after the clocks went back', async () => {
    // 1 November 2026 in New York has 25 hours (EDT until 02:00, then EST): it ends at 05:00 UTC.
    await sendAt('2026-11-02T04:59:59Z', 'ny-last-of-sunday@example.org');
    await sendAt('2026-11-02T05:00:00Z', 'ny-first-of-monday@example.org');
    const today = await todayIn('America/New_York', '2026-11-02T05:01:00Z');
    expect(today.since).toBe(at('2026-11-02T05:00:00Z'));
    expect(today.counts.arrived).toBe(1);
    // The same mails in UTC are both on 2 November.
    expect((await zoned.call('stats.summary', { timeZone: 'UTC' })).today.counts.arrived).toBe(2);
  });

  it('counts "today" in Asia/Kathmandu (+5:45) and Asia/Kolkata (+5:30) from their midnights, to the minute', async () => {
    // Kathmandu's 3 November begins at 18:15 UTC, Kolkata's at 18:30 UTC.
    await sendAt('2026-11-02T18:14:59Z', 'ktm-last-of-monday@example.org');
    await sendAt('2026-11-02T18:15:00Z', 'ktm-first-of-tuesday@example.org');
    let today = await todayIn('Asia/Kathmandu', '2026-11-02T18:16:00Z');
    expect(today.since).toBe(at('2026-11-02T18:15:00Z'));
    expect(today.counts.arrived).toBe(1);

    await sendAt('2026-11-02T18:29:59Z', 'kol-last-of-monday@example.org');
    // Still Monday in Kolkata: its day began at 18:30 UTC the day before (both New York mails,
    // both Kathmandu mails and this one).
    today = await todayIn('Asia/Kolkata', '2026-11-02T18:29:59Z');
    expect(today.since).toBe(at('2026-11-01T18:30:00Z'));
    expect(today.counts.arrived).toBe(5);
    await sendAt('2026-11-02T18:30:00Z', 'kol-first-of-tuesday@example.org');
    today = await todayIn('Asia/Kolkata', '2026-11-02T18:30:30Z');
    expect(today.since).toBe(at('2026-11-02T18:30:00Z'));
    expect(today.counts.arrived).toBe(1);
  });

  it('gives day points, statements and their CSV the days of the zone asked for', async () => {
    clock.set(at('2026-11-02T19:00:00Z'));
    for (const timeZone of ['America/New_York', 'Asia/Kathmandu', 'Asia/Kolkata', 'UTC']) {
      const { points } = await zoned.call('stats.series', {
        bucket: 'day',
        timeZone,
        from: at('2026-11-01T00:00:00Z'),
        to: at('2026-11-03T12:00:00Z'),
      });
      const expected = new Map<string, number>();
      for (const m of sent)
        expected.set(isoDay(timeZone, m.at), (expected.get(isoDay(timeZone, m.at)) ?? 0) + 1);
      const days = points.map((p) => p.day ?? '');
      // Each point starts at its day's midnight in the zone and holds exactly that day's mail.
      expect(
        points.map((p) => isoDay(timeZone, p.at)),
        timeZone,
      ).toEqual(days);
      expect(
        points.filter((p) => p.arrived > 0).map((p) => [p.day, p.arrived]),
        timeZone,
      ).toEqual([...expected].sort());
    }
    // New York's 1 November is 25 hours long.
    const ny = (
      await zoned.call('stats.series', {
        bucket: 'day',
        timeZone: 'America/New_York',
        from: at('2026-11-01T12:00:00Z'),
        to: at('2026-11-02T12:00:00Z'),
      })
    ).points;
    expect(ny.map((p) => [p.day, new Date(p.at).toISOString()])).toEqual([
      ['2026-11-01', '2026-11-01T04:00:00.000Z'],
      ['2026-11-02', '2026-11-02T05:00:00.000Z'],
    ]);

    // The billing period runs from 19:00 UTC on 1 November for 30 days: 2 November to 2 December
    // in Kolkata, 1 to 1 December in UTC and New York. Screen (the statement) and CSV agree.
    for (const [timeZone, firstDay, lastDay] of [
      ['Asia/Kolkata', '2026-11-02', '2026-12-02'],
      ['UTC', '2026-11-01', '2026-12-01'],
      ['America/New_York', '2026-11-01', '2026-12-01'],
    ] as const) {
      const [statement] = await zoned.call('quota.statements', { timeZone });
      expect(statement).toMatchObject({ timeZone, firstDay, lastDay });
      expect(statement?.blocks[0]?.bookedDay).toBe(firstDay);
      const csv = await zoned.call('quota.exportStatement', {
        periodStart: statement?.periodStart ?? 0,
        format: 'csv',
        timeZone,
      });
      expect(csv.filename).toBe(`relaydesk-statement-${firstDay}.csv`);
      const rows = csv.content.trim().split('\r\n').slice(1);
      expect(rows.length).toBeGreaterThan(3);
      for (const row of rows) expect(row.startsWith(`${firstDay},${lastDay},`), row).toBe(true);
      expect(csv.content).toContain(`booked ${firstDay}`);
    }
  });
});
