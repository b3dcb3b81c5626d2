import { describe, expect, it } from 'vitest';
import {
  filtersToQuery,
  LIST_FILTERS,
  listHref,
  queryToFilters,
} from '../../src/renderer/src/app/route-filters';
import { formatRoute, messageHref, parseRoute } from '../../src/renderer/src/app/routes';
import { NO_FILTERS } from '../../src/renderer/src/store/message-filters';

describe('console routes', () => {
  it('reads a page, a message and filters from the fragment, and writes them back the same', () => {
    const route = parseRoute('#/messages/0mx5abc?status=bounced&text=order%2042');
    expect(route).toEqual({
      page: 'messages',
      messageId: '0mx5abc',
      query: { status: 'bounced', text: 'order 42' },
    });
    expect(parseRoute(formatRoute(route))).toEqual(route);
    expect(formatRoute({ page: 'queue', messageId: null, query: {} })).toBe('#/queue');
  });

  it('writes filters in a stable order, so the same filters always give the same URL', () => {
    expect(
      formatRoute({ page: 'bounces', messageId: null, query: { to: '2026-01-02', from: '2026-01-01' } }),
    ).toBe('#/bounces?from=2026-01-01&to=2026-01-02');
  });

  it('treats an empty fragment, an unknown page, a token and the old #page links sensibly', () => {
    expect(parseRoute('').page).toBe('dashboard');
    expect(parseRoute('#/nowhere').page).toBe('dashboard');
    expect(parseRoute('#token=abc').page).toBe('dashboard');
    expect(parseRoute('#quota').page).toBe('quota');
    expect(parseRoute('#/messages/%E0%A4%A').messageId).toBeNull();
  });

  it('opens a message only on the Messages page, and escapes its id in a link', () => {
    expect(parseRoute('#/queue/abc').messageId).toBeNull();
    expect(messageHref('a/b c')).toBe('#/messages/a%2Fb%20c');
    expect(parseRoute(messageHref('a/b c')).messageId).toBe('a/b c');
  });

  it('puts only the filters that are set in the query, and reads them back', () => {
    const f = { ...NO_FILTERS, status: 'deferred' as const, fromDate: '2026-12-01', text: 'order' };
    const query = filtersToQuery(LIST_FILTERS.messages, f);
    expect(query).toEqual({ status: 'deferred', fromDate: '2026-12-01', text: 'order' });
    expect(queryToFilters(LIST_FILTERS.messages, query)).toEqual(f);
  });

  it('drops values a list does not know instead of sending them to the relay', () => {
    const f = queryToFilters(LIST_FILTERS.messages, { status: 'lost', fromDate: 'yesterday', text: 'ok' });
    expect(f).toEqual({ ...NO_FILTERS, text: 'ok' });
    const a = queryToFilters(LIST_FILTERS.activity, { rejectedMail: '1', since: '12x', category: 'login' });
    expect(a.rejectedMail).toBe(true);
    expect(a.since).toBeNull();
    expect(a.category).toBeNull();
  });

  it('links a Dashboard count to its list with exactly its filters', () => {
    expect(listHref('activity', { rejectedMail: true, since: 1_700_000_000_000 })).toBe(
      '#/activity?rejectedMail=1&since=1700000000000',
    );
    expect(listHref('queue', { status: 'queued' })).toBe('#/queue?status=queued');
    expect(listHref('bounces', { kind: 'complaint', from: '2026-12-01' })).toBe(
      '#/bounces?from=2026-12-01&kind=complaint',
    );
  });
});
