import { summaryStatus } from '@shared/domain/message';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/main/engine/clock';
import type { EngineContext } from '../../src/main/engine/context';
import { messageId } from '../../src/main/engine/ids';
import { decodeCursor, encodeCursor, messagesService } from '../../src/main/services/messages';
import { openStore } from '../../src/main/store/store';
import { insertConnection } from '../helpers/store-fixtures';

function seededStore(count: number) {
  const store = openStore(':memory:');
  const clock = new ManualClock(Date.UTC(2026, 10, 1));
  insertConnection(store, 'c1', 'Shop');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    // Every third mail shares its millisecond with the one before: paging must not lose or repeat them.
    if (i % 3 !== 0) clock.advance(1);
    const id = messageId(clock.now());
    ids.push(id);
    store.messages.recordAccepted({
      id,
      connectionId: 'c1',
      connectionName: 'Shop',
      mode: 'live',
      acceptedAt: clock.now(),
      mailFrom: 'shop@example.com',
      headerFrom: 'shop@example.com',
      sendingDomain: 'example.com',
      subject: i % 10 === 0 ? `Invoice ${i}` : `Order ${i}`,
      messageId: `<${i}@example.com>`,
      size: 100,
      clientAddress: '127.0.0.1',
      clientHelo: 'test',
      clientTls: 'TLSv1.3',
      headers: [],
      recipients: [`c${i}@example.org`],
      status: 'queued',
      dkimKeyIds: [],
    });
  }
  return { store, ids };
}

describe('messages.search paging', () => {
  it('walks all messages newest first with no gaps or repeats', () => {
    const { store, ids } = seededStore(257);
    const service = messagesService({ store } as unknown as EngineContext);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = service.search({ limit: 20, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((m) => m.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const newestFirst = [...ids].sort((a, b) => (a < b ? 1 : -1));
    expect(seen).toEqual(newestFirst);
  });

  it('filters by text in subject and recipient', () => {
    const { store } = seededStore(50);
    const service = messagesService({ store } as unknown as EngineContext);
    expect(
      service
        .search({ limit: 100, text: 'Invoice' })
        .items.map((m) => m.subject)
        .sort(),
    ).toEqual(['Invoice 0', 'Invoice 10', 'Invoice 20', 'Invoice 30', 'Invoice 40'].sort());
    expect(service.search({ limit: 100, text: 'c7@example.org' }).items.map((m) => m.subject)).toEqual([
      'Order 7',
    ]);
    expect(service.search({ limit: 100, text: '100%_' }).items).toEqual([]);
  });

  it('refuses a cursor it did not give out', () => {
    expect(() => decodeCursor('bm9wZQ')).toThrow(/cursor/);
    expect(decodeCursor(encodeCursor(5, 'abc'))).toEqual({ acceptedAt: 5, id: 'abc' });
  });
});

describe("a message's summary status", () => {
  it('shows the recipient status that needs attention first', () => {
    expect(summaryStatus({ delivered: 3, bounced: 1 })).toBe('bounced');
    expect(summaryStatus({ delivered: 2, deferred: 1 })).toBe('deferred');
    expect(summaryStatus({ captured: 2 })).toBe('captured');
    expect(summaryStatus({})).toBe('queued');
  });
});
