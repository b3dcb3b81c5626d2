import { type RelaydeskState, useRelaydesk } from '../store';
import type { BounceFilters } from '../store/bounces-slice';
import type { MessageFilters } from '../store/message-filters';
import type { QueueFilters } from '../store/queue-slice';
import { filtersToQuery, isListPage, type ListPage, listFiltersOf, queryToFilters } from './route-filters';
import { formatRoute, parseRoute, type Route } from './routes';

const TOKEN_FRAGMENT = /(?:^#|&)token=/;

type Filters = Record<string, unknown>;
const plain = (f: object) => f as unknown as Filters;

/** Where each list keeps its filters in the store; setting them reloads the list. */
const STORE_FILTERS: Record<
  ListPage,
  { read(s: RelaydeskState): Filters; apply(s: RelaydeskState, f: Filters): void }
> = {
  messages: {
    read: (s) => plain(s.messages.filters),
    apply: (s, f) => s.setMessageFilters(f as unknown as MessageFilters),
  },
  activity: { read: (s) => plain(s.activity.filters), apply: (s, f) => s.setActivityFilters(f) },
  bounces: {
    read: (s) => plain(s.bounces.filters),
    apply: (s, f) => s.setBounceFilters(f as unknown as BounceFilters),
  },
  queue: {
    read: (s) => plain(s.queue.filters),
    apply: (s, f) => s.setQueueFilters(f as unknown as QueueFilters),
  },
  suppressions: { read: (s) => plain(s.suppressions.filters), apply: (s, f) => s.setSuppressionFilters(f) },
};

/** The route the console state shows; an open message's link carries only its id. */
export function routeOf(s: RelaydeskState): Route {
  const { page, selectedMessageId } = s.navigation;
  const messageId = page === 'messages' ? selectedMessageId : null;
  const query =
    !messageId && isListPage(page) ? filtersToQuery(listFiltersOf(page), STORE_FILTERS[page].read(s)) : {};
  return { page, messageId, query };
}

const pathOf = (hash: string) => hash.split('?', 1)[0];

/**
 * Keeps the address bar and the console state in step, both ways: a new page or message is a new
 * history entry (Back returns), a filter change replaces the current one; a URL typed, pasted,
 * reloaded or reached with Back/Forward is put into the store.
 */
export function startUrlRouter(): void {
  const store = useRelaydesk;
  let applying = false;

  const write = (replace: boolean) => {
    const next = formatRoute(routeOf(store.getState()));
    if (next === window.location.hash) return;
    const samePage = pathOf(next) === pathOf(window.location.hash);
    if (replace || samePage) history.replaceState(null, '', next);
    else history.pushState(null, '', next);
  };

  const read = () => {
    // The console URL with a token: the API client takes it and clears the fragment.
    if (TOKEN_FRAGMENT.test(window.location.hash)) return;
    const route = parseRoute(window.location.hash);
    applying = true;
    try {
      const s = store.getState();
      if (isListPage(route.page) && !route.messageId) {
        const spec = listFiltersOf(route.page);
        const wanted = queryToFilters(spec, route.query);
        const list = STORE_FILTERS[route.page];
        const current = list.read(s);
        if (Object.keys(spec.fields).some((k) => wanted[k] !== current[k])) list.apply(s, wanted);
      }
      store.setState({ navigation: { page: route.page, selectedMessageId: route.messageId } });
    } finally {
      applying = false;
    }
    // Written back as the console spells it (an unknown page becomes #/dashboard).
    write(true);
  };

  store.subscribe((s, prev) => {
    if (applying) return;
    const page = s.navigation.page;
    const filtersChanged = isListPage(page) && STORE_FILTERS[page].read(s) !== STORE_FILTERS[page].read(prev);
    if (s.navigation !== prev.navigation || filtersChanged) write(false);
  });
  window.addEventListener('popstate', read);
  read();
}
