import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/main/engine/clock';
import { createConnection, startRelay, type TestRelay, waitForRecipients } from '../helpers/engine';
import { mailer } from '../helpers/mailer';
import { type Sink, startSink } from '../helpers/sink';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);
const clock = new ManualClock(T0);
let relay: TestRelay;
let mx: Sink;
let live: { username: string; password: string };
let sandbox: { username: string; password: string };

beforeAll(async () => {
  mx = await startSink();
  relay = await startRelay({
    clock,
    overrides: {
      'delivery.routes': { 'example.org': `127.0.0.1:${mx.port}`, 'waiting.example': `127.0.0.1:${mx.port}` },
      'retention.bodyDays': 30,
      'retention.metadataDays': 365,
    },
  });
  await relay.call('quota.bookBlock', { size: 25000 });
  await relay.call('queue.pause', { domain: 'waiting.example' });
  live = (await createConnection(relay, { name: 'Shop' })).access;
  sandbox = (await createConnection(relay, { name: 'Dev', mode: 'sandbox' })).access;
});
afterAll(async () => {
  await relay.dispose();
  await mx.close();
});

async function send(access: { username: string; password: string }, to: string, subject: string) {
  const info = await mailer(relay.smtpPort, access).sendMail({
    from: 'shop@example.com',
    to,
    subject,
    text: 'x',
  });
  return /queued as (\w+)/.exec(info.response)?.[1] ?? '';
}

/** Whether the mail's signed body is still kept (in the store or as a spool file). */
const bodyKept = (id: string) =>
  relay.engine.context.spool.readAll(id).then(
    () => true,
    () => false,
  );
const ids = async () => (await relay.call('messages.search', { limit: 500 })).items.map((m) => m.id).sort();
const arrivedByDay = async () =>
  (await relay.call('stats.series', { bucket: 'day', from: T0 - 2 * DAY, to: T0 + 400 * DAY })).points
    .filter((p) => p.arrived > 0)
    .map((p) => [p.at, p.arrived]);

describe('retention', () => {
  it('removes bodies and then whole messages exactly when they pass their limits, never mail still waiting, and keeps the statistics', async () => {
    const delivered = await send(live, 'a@example.org', 'Old delivered');
    const captured = await send(sandbox, 'b@example.org', 'Old capture');
    const waiting = await send(live, 'w@waiting.example', 'Old but waiting');
    await waitForRecipients(relay, delivered, ['delivered']);

    clock.advance(DAY);
    const dayLater = await send(live, 'c@example.org', 'One day younger');
    await waitForRecipients(relay, dayLater, ['delivered']);
    const everything = [delivered, captured, waiting, dayLater].sort();
    const statsBefore = await arrivedByDay();
    expect(statsBefore).toEqual([
      [T0 - (T0 % DAY), 3],
      [T0 + DAY - ((T0 + DAY) % DAY), 1],
    ]);

    // 30 days after the first mails, to the millisecond: not yet older than the limit.
    clock.set(T0 + 30 * DAY);
    expect(await relay.call('maintenance.cleanup', {})).toMatchObject({
      bodiesPurged: 0,
      messagesDeleted: 0,
    });

    clock.set(T0 + 30 * DAY + 1);
    const first = await relay.call('maintenance.cleanup', {});
    expect(first).toMatchObject({ bodiesPurged: 2, messagesDeleted: 0 });
    for (const id of [delivered, captured]) {
      expect(await bodyKept(id)).toBe(false);
      const m = await relay.call('messages.get', { id });
      expect(m.bodyAvailable).toBe(false);
      expect(m.recipientStates.length).toBe(1);
      expect((await relay.call('messages.content', { id })).available).toBe(false);
      await expect(relay.call('messages.raw', { id })).rejects.toMatchObject({
        code: 'not_found',
        message: expect.stringMatching(/removed by retention/),
      });
    }
    await expect(relay.call('messages.release', { id: captured })).rejects.toMatchObject({
      code: 'conflict',
    });
    // Still waiting for delivery: kept whole, whatever its age.
    expect(await bodyKept(waiting)).toBe(true);
    expect(await bodyKept(dayLater)).toBe(true);
    expect(await ids()).toEqual(everything);

    clock.set(T0 + 365 * DAY + 1);
    const second = await relay.call('maintenance.cleanup', {});
    expect(second).toMatchObject({ bodiesPurged: 1, messagesDeleted: 2 });
    expect(await ids()).toEqual([waiting, dayLater].sort());
    await expect(relay.call('messages.get', { id: delivered })).rejects.toMatchObject({ code: 'not_found' });
    expect((await relay.call('messages.search', { subject: 'old delivered' })).items).toEqual([]);
    const db = relay.engine.context.store.db;
    for (const table of ['events', 'recipients', 'attempts']) {
      expect(
        db
          .prepare(`SELECT COUNT(*) FROM ${table} WHERE message_id IN (?, ?)`)
          .pluck()
          .get(delivered, captured),
        table,
      ).toBe(0);
    }
    expect(await bodyKept(waiting)).toBe(true);

    // The day statistics outlive the messages; minute buckets past two days are pruned.
    expect(await arrivedByDay()).toEqual(statsBefore);
    expect(second.statsRowsPruned).toBeGreaterThan(0);
    expect(
      db
        .prepare('SELECT COUNT(*) FROM stats WHERE size = 60000 AND bucket < ?')
        .pluck()
        .get(clock.now() - 2 * DAY),
    ).toBe(0);
  });
});
