/**
 * What a console URL says: a page, on Messages maybe one open message, and the page's list
 * filters. It lives in the fragment (`#/messages/<id>`, `#/bounces?kind=complaint`), so the
 * headless server serves one index.html for every page and the desktop window, loaded from a file,
 * routes the same way; `#token=…` stays the console token's (read and removed by the API client).
 */
export interface Route {
  page: PageName;
  messageId: string | null;
  /** Filter name → value as written in the URL; only the filters that differ from "none". */
  query: Record<string, string>;
}

/** The console's pages (the store's PageName; kept apart from the store so this file stays pure). */
export const PAGE_NAMES = [
  'dashboard',
  'messages',
  'queue',
  'bounces',
  'suppressions',
  'connections',
  'domains',
  'quota',
  'settings',
  'activity',
] as const;
export type PageName = (typeof PAGE_NAMES)[number];

const isPage = (s: string): s is PageName => (PAGE_NAMES as readonly string[]).includes(s);

/** The route of a fragment; anything it does not name (also `#token=…`) is the Dashboard. */
export function parseRoute(hash: string): Route {
  const body = hash.replace(/^#\/?/, '');
  const q = body.indexOf('?');
  const path = q >= 0 ? body.slice(0, q) : body;
  const [first = '', second = ''] = path.split('/');
  const page = safeDecode(first);
  if (!isPage(page)) return { page: 'dashboard', messageId: null, query: {} };
  const messageId = page === 'messages' && second ? safeDecode(second) : '';
  const query: Record<string, string> = {};
  if (q >= 0) for (const [k, v] of new URLSearchParams(body.slice(q + 1))) if (v !== '') query[k] = v;
  return { page, messageId: messageId || null, query };
}

/** The fragment of a route, `#/page[/message][?filters]`, filters in a stable order. */
export function formatRoute(route: Route): string {
  const path = route.messageId ? `${route.page}/${encodeURIComponent(route.messageId)}` : route.page;
  const query = new URLSearchParams(
    Object.entries(route.query)
      .filter(([, v]) => v !== '')
      .sort(([a], [b]) => a.localeCompare(b)),
  ).toString();
  return `#/${path}${query ? `?${query}` : ''}`;
}

/** The link to one message, e.g. for a row or to copy. */
export const messageHref = (id: string): string =>
  formatRoute({ page: 'messages', messageId: id, query: {} });

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return '';
  }
}

/** The link to a page as it is (its filters as the store has them come with the click). */
export const pageHref = (page: PageName): string => formatRoute({ page, messageId: null, query: {} });
