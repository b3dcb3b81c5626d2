import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/main/engine/clock';
import { createConnection, startRelay, type TestRelay, waitForRecipients } from '../helpers/engine';
import { sendMail } from '../helpers/mailer';
import { type Sink, startSink } from '../helpers/sink';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
const clock = new ManualClock(T0);
let relay: TestRelay;
let mx: Sink;
let access: { username: string; password: string };

beforeAll(async () => {
  mx = await startSink();
  relay = await startRelay({
    clock,
    overrides: {
      'delivery.routes': { 'example.org': `127.0.0.1:${mx.port}`, 'waiting.example': `127.0.0.1:${mx.port}` },
      'retention.metadataDays': 30,
    },
  });
  await relay.call('queue.pause', { domain: 'waiting.example' });
  access = (await createConnection(relay, { name: 'Shop' })).access;
});
afterAll(async () => {
  await relay.dispose();
  await mx.close();
});

const send = (to: string[], subject: string) =>
  sendMail(relay.smtpPort, access, { from: 'shop@example.com', to, subject });

const db = () => relay.engine.context.store.db;
const recipientIds = (messageId: string) =>
  db()
    .prepare('SELECT id FROM recipients WHERE message_id = ? ORDER BY id')
    .pluck()
    .all(messageId) as number[];
const chargedIds = () =>
  db()
    .prepare("SELECT recipient_id FROM quota_ledger WHERE kind IN ('usage', 'overage') ORDER BY recipient_id")
    .pluck()
    .all() as number[];

describe('recipient ids', () => {
  it('never repeat across retention, so new mail is charged to quota after the newest mails were removed', async () => {
    // The oldest mail waits (its domain is paused), so retention keeps it and the lowest id.
    const waiting = await send(['w@waiting.example'], 'Still waiting');
    const delivered = [
      await send(['a@example.org', 'b@example.org'], 'First'),
      await send(['c@example.org'], 'Second'),
    ];
    for (const id of delivered) await waitForRecipients(relay, id, ['delivered']);
    const usedBefore = [waiting, ...delivered].flatMap(recipientIds);
    expect(usedBefore).toHaveLength(4);
    const highest = Math.max(...usedBefore);
    const chargedBefore = delivered.flatMap(recipientIds);
    expect(chargedIds()).toEqual(chargedBefore);

    clock.advance(31 * DAY);
    expect(await relay.call('maintenance.cleanup', {})).toMatchObject({ messagesDeleted: 2 });
    // The newest recipients are gone; only the waiting mail's (lowest) id is left.
    expect(db().prepare('SELECT id FROM recipients').pluck().all()).toEqual(recipientIds(waiting));

    const later = await send(['d@example.org', 'e@example.org', 'f@example.org'], 'After the cleanup');
    await waitForRecipients(relay, later, ['delivered']);
    const newIds = recipientIds(later);
    expect(newIds).toHaveLength(3);
    for (const id of newIds) expect(id).toBeGreaterThan(highest);
    // Every sent recipient has its own charge: three before the cleanup, three after.
    expect(chargedIds()).toEqual([...chargedBefore, ...newIds]);
    expect((await relay.call('quota.get', {})).remaining).toBe(1000 - 6);
  });
});
