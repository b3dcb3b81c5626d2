import {
  nextWebhookAttempt,
  WEBHOOK_LIFETIME_MS,
  WEBHOOK_RETRY_SCHEDULE_MS,
  type WebhookEventType,
  webhookUrlProblem,
} from '@shared/domain/webhook';
import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/main/store/queue-repo';
import { openStore, type Store } from '../../src/main/store/store';
import { insertConnection } from '../helpers/store-fixtures';

const T0 = Date.UTC(2026, 10, 1);

/** A store with connection c1, an endpoint for `types`, and one queued mail m1 to one recipient. */
function storeWithEndpoint(types: WebhookEventType[] = ['delivered', 'deferred', 'bounced']) {
  const store = openStore(':memory:');
  insertConnection(store, 'c1', 'Shop');
  store.webhooks.insert({
    id: 'wh1',
    connectionId: 'c1',
    url: 'https://shop.example/hooks',
    enabled: true,
    eventTypes: types,
    secret: 'enc:local:x',
    createdAt: T0,
    secretRotatedAt: T0,
  });
  store.messages.recordAccepted({
    id: 'm1',
    connectionId: 'c1',
    connectionName: 'Shop',
    mode: 'live',
    acceptedAt: T0,
    mailFrom: 'shop@example.com',
    headerFrom: 'shop@example.com',
    sendingDomain: 'example.com',
    subject: 'Order',
    messageId: '<1@example.com>',
    size: 100,
    clientAddress: '127.0.0.1',
    clientHelo: 'test',
    clientTls: 'TLSv1.3',
    headers: [],
    recipients: ['a@example.org'],
    status: 'queued',
    dkimKeyIds: [],
  });
  const recipientId = store.db.prepare('SELECT id FROM recipients').pluck().get() as number;
  return { store, recipientId };
}

function outbox(store: Store) {
  return store.db
    .prepare(
      'SELECT type, recipient_id AS recipientId, recipient, reply, attempts, event_id AS eventId FROM webhook_outbox ORDER BY id',
    )
    .all() as {
    type: string;
    recipientId: number;
    recipient: string;
    reply: string;
    attempts: number;
    eventId: string;
  }[];
}

const change = (recipientId: number, at: number, lastReply: string): Change => ({
  recipientId,
  messageId: 'm1',
  address: 'a@example.org',
  at,
  detail: lastReply,
  lastReply,
  countsAttempt: true,
});

describe('the webhook outbox', () => {
  it('gets an event in the same transaction as the status change, and none when that transaction rolls back', () => {
    const { store, recipientId } = storeWithEndpoint();
    store.queue.transition('claim', [
      { ...change(recipientId, T0, ''), countsAttempt: false, lease: { id: 1, until: T0 + 1 } },
    ]);
    expect(() =>
      store.db.transaction(() => {
        store.queue.transition('delivered', [change(recipientId, T0 + 1, '250 2.0.0 Ok')]);
        throw new Error('crash before commit');
      })(),
    ).toThrow('crash before commit');
    expect(outbox(store)).toEqual([]);
    store.queue.transition('delivered', [change(recipientId, T0 + 1, '250 2.0.0 Ok')]);
    expect(outbox(store)).toEqual([
      {
        type: 'delivered',
        recipientId,
        recipient: 'a@example.org',
        reply: '250 2.0.0 Ok',
        attempts: 1,
        eventId: expect.stringMatching(/^evt_m1_\d+$/),
      },
    ]);
  });

  it('keeps one deferred event per attempt but one final event per recipient', () => {
    const { store, recipientId } = storeWithEndpoint();
    const claim = (at: number) =>
      store.queue.transition('claim', [
        { ...change(recipientId, at, ''), countsAttempt: false, lease: { id: at, until: at + 1 } },
      ]);
    claim(T0);
    store.queue.transition('deferred', [change(recipientId, T0 + 1, '451 4.2.0 busy')]);
    claim(T0 + 2);
    store.queue.transition('deferred', [change(recipientId, T0 + 3, '451 4.2.0 still busy')]);
    claim(T0 + 4);
    store.queue.transition('bounced', [change(recipientId, T0 + 5, '550 5.1.1 unknown')]);
    // A second writer's bounce event for the same recipient (the table allows none, the outbox would ignore it).
    store.queue.addEvent('m1', 'a@example.org', 'bounced', 'again', T0 + 6);
    expect(outbox(store).map((e) => [e.type, e.reply, e.attempts])).toEqual([
      ['deferred', '451 4.2.0 busy', 1],
      ['deferred', '451 4.2.0 still busy', 2],
      ['bounced', '550 5.1.1 unknown', 3],
    ]);
  });

  it('gets an expired event when Relaydesk gives up on a recipient', () => {
    const { store, recipientId } = storeWithEndpoint(['expired']);
    store.queue.transition('claim', [
      { ...change(recipientId, T0, ''), countsAttempt: false, lease: { id: 1, until: T0 + 1 } },
    ]);
    store.queue.transition('expired', [change(recipientId, T0 + 1, '451 4.4.1 still no answer')]);
    expect(outbox(store).map((e) => [e.type, e.reply])).toEqual([['expired', '451 4.4.1 still no answer']]);
  });

  it('has nothing for event types the endpoint did not ask for, nor for a disabled endpoint', () => {
    const { store, recipientId } = storeWithEndpoint(['bounced']);
    store.queue.transition('claim', [
      { ...change(recipientId, T0, ''), countsAttempt: false, lease: { id: 1, until: T0 + 1 } },
    ]);
    store.queue.transition('delivered', [change(recipientId, T0 + 1, '250 ok')]);
    expect(outbox(store)).toEqual([]);
    store.webhooks.update('wh1', { enabled: false, eventTypes: ['delivered', 'complained'] });
    store.queue.transition('complained', [{ ...change(recipientId, T0 + 2, 'spam'), countsAttempt: false }]);
    expect(outbox(store)).toEqual([]);
  });
});

describe('the webhook retry schedule', () => {
  it('waits 30 s, 2 min, 10 min, 30 min, 1 h, then 2 h, and gives up 24 hours after the event', () => {
    let now = T0;
    const waits: number[] = [];
    for (let attempts = 1; attempts < 100; attempts++) {
      const next = nextWebhookAttempt(attempts, T0, now);
      if (next === null) break;
      waits.push(next - now);
      now = next;
    }
    expect(waits.slice(0, 6)).toEqual([...WEBHOOK_RETRY_SCHEDULE_MS]);
    expect(now).toBe(T0 + WEBHOOK_LIFETIME_MS);
    expect(waits.length).toBeLessThan(20);
  });
});

describe('a webhook URL', () => {
  it('is http or https with a host, and never carries credentials or a fragment', () => {
    expect(webhookUrlProblem('https://shop.example/hooks?x=1')).toBeUndefined();
    expect(webhookUrlProblem('http://10.0.0.5:8080/hooks')).toBeUndefined();
    expect(webhookUrlProblem('https://u:p@shop.example/')).toMatch(/user name or password/);
    expect(webhookUrlProblem('https://shop.example/#x')).toMatch(/fragment/);
    expect(webhookUrlProblem('javascript:alert(1)')).toMatch(/https:\/\//);
    expect(webhookUrlProblem('file:///etc/passwd')).toMatch(/https:\/\//);
  });
});
