import { type RelaydeskState, useRelaydesk } from '../store';
import { filtersToQuery, isListPage, queryToFilters, listFiltersOf as specOf } from './route-filters';
import { formatRoute, parseRoute, type Route } from './routes';

const TOKEN_FRAGMENT = /(?:^#|&)token=/;

/** The route the console state shows; an open message's link carries only its id. */
export function routeOf(s: RelaydeskState): Route {
  const { page, selectedMessageId } = s.navigation;
  const messageId = page === 'messages' ? selectedMessageId : null;
  const query = !messageId && isListPage(page) ? filtersToQuery(specOf(page), specOf(page).read(s)) : {};
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
        const spec = specOf(route.page);
        const wanted = queryToFilters(spec, route.query);
        const current = spec.read(s);
        if (Object.keys(spec.fields).some((k) => wanted[k] !== current[k])) spec.apply(s, wanted);
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
    const filtersChanged = isListPage(page) && specOf(page).read(s) !== specOf(page).read(prev);
    if (s.navigation !== prev.navigation || filtersChanged) write(false);
  });
  window.addEventListener('popstate', read);
  read();
}
