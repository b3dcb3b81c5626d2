import type { MessageSummary } from '@shared/domain/message';
import { describe, expect, it } from 'vitest';
import { matchesFilters, NO_FILTERS, searchParamsOf } from '../../src/renderer/src/store/message-filters';

const pushed: MessageSummary = {
  id: 'm1abc',
  acceptedAt: new Date('2026-11-28T10:00:00').getTime(),
  connectionId: 'c1',
  connectionName: 'Shop',
  mode: 'live',
  mailFrom: 'bounces@shop.example.com',
  from: '"Webshop" <orders@shop.example.com>',
  subject: 'Überweisung für Bestellung 4711',
  size: 100,
  recipients: ['Jan@Example.org'],
  status: 'queued',
  statusCounts: { queued: 1 },
};

describe('a pushed message in the live list', () => {
  const cases: [string, Partial<typeof NO_FILTERS>, boolean][] = [
    ['shows with no filters', {}, true],
    ['matches words as prefixes, diacritics folded', { text: 'uberw bestell' }, true],
    ['does not match a word from the middle of another', { text: 'weisung' }, false],
    ['matches its id pasted whole', { text: 'm1abc' }, true],
    ['matches the recipient exactly, in any case', { recipient: 'jan@example.org' }, true],
    ['does not match a recipient prefix', { recipient: 'jan@example.o' }, false],
    ['matches the sender by envelope or From: address', { sender: 'orders@shop.example.com' }, true],
    ['matches the sending domain of its From: address', { domain: 'shop.example.com' }, true],
    ['is left out under another sending domain', { domain: 'news.example.com' }, false],
    [
      'is left out under a Message-ID filter (that looks for an existing mail)',
      { messageId: '<x@y>' },
      false,
    ],
    ['is inside a date range that covers its day', { fromDate: '2026-11-28', toDate: '2026-11-28' }, true],
    ['is outside a range that ends the day before', { toDate: '2026-11-27' }, false],
    ['is left out under a status none of its recipients has', { status: 'delivered' }, false],
  ];
  for (const [name, filters, expected] of cases) {
    it(name, () => expect(matchesFilters(pushed, { ...NO_FILTERS, ...filters })).toBe(expected));
  }

  it('asks the server from the exact moment the Dashboard opened it with, even inside a day', () => {
    const since = new Date('2026-11-28T14:00:00').getTime();
    expect(searchParamsOf({ ...NO_FILTERS, since })).toEqual({ from: since });
    // With a day as well, the later start wins.
    expect(searchParamsOf({ ...NO_FILTERS, since, fromDate: '2026-11-27' })).toEqual({ from: since });
    expect(matchesFilters({ ...pushed, acceptedAt: since - 1 }, { ...NO_FILTERS, since })).toBe(false);
    expect(matchesFilters({ ...pushed, acceptedAt: since }, { ...NO_FILTERS, since })).toBe(true);
  });

  it('asks the server for the whole days of a date range', () => {
    const p = searchParamsOf({ ...NO_FILTERS, fromDate: '2026-11-28', toDate: '2026-11-28', text: '  ' });
    expect(p).toEqual({
      from: new Date('2026-11-28T00:00:00').getTime(),
      to: new Date('2026-11-29T00:00:00').getTime(),
    });
  });
});
