import { ACTIVITY_CATEGORIES } from '@shared/domain/activity';
import { BOUNCE_REASONS, type BounceReason, type BounceRecord } from '@shared/domain/bounce';
import { RECIPIENT_STATUSES } from '@shared/domain/message';
import { SUPPRESSION_REASONS, type SuppressionReason } from '@shared/domain/suppression';
import { NO_ACTIVITY_FILTERS } from '../store/activity-filters';
import { NO_FILTERS } from '../store/message-filters';
import { formatRoute } from './routes';

/** How a filter is written in a URL: free text, a local date, a time in ms, a yes-flag or one of some words. */
type FieldKind = 'text' | 'date' | 'ms' | 'flag' | readonly string[];
type FilterValue = string | number | boolean | null;

/** A list's filters as the store holds them when none is set, and how each is written. */
export interface ListFilters<F> {
  none: F;
  fields: { [K in keyof F]: FieldKind };
}

const define = <F>(spec: ListFilters<F>) => spec;

/** The list pages whose filters travel in the URL; a filter's URL name is its name in the store. Pure, as it is unit-tested. */
export const LIST_FILTERS = {
  messages: define({
    none: NO_FILTERS,
    fields: {
      text: 'text',
      status: RECIPIENT_STATUSES,
      connectionId: 'text',
      recipient: 'text',
      sender: 'text',
      subject: 'text',
      messageId: 'text',
      domain: 'text',
      fromDate: 'date',
      toDate: 'date',
      since: 'ms',
    },
  }),
  activity: define({
    none: NO_ACTIVITY_FILTERS,
    fields: {
      category: ACTIVITY_CATEGORIES,
      connectionId: 'text',
      text: 'text',
      rejectedMail: 'flag',
      since: 'ms',
    },
  }),
  bounces: define({
    none: {
      reason: null as BounceReason | null,
      hard: null as 'hard' | 'soft' | null,
      kind: null as BounceRecord['kind'] | null,
      connectionId: null as string | null,
      from: '',
      to: '',
      text: '',
    },
    fields: {
      reason: BOUNCE_REASONS,
      hard: ['hard', 'soft'],
      kind: ['bounce', 'complaint', 'auto-reply', 'delivered'],
      connectionId: 'text',
      from: 'date',
      to: 'date',
      text: 'text',
    },
  }),
  queue: define({
    none: { status: null as 'queued' | 'deferred' | 'sending' | null, domain: '' },
    fields: { status: ['queued', 'deferred', 'sending'], domain: 'text' },
  }),
  suppressions: define({
    none: { text: '', reason: null as SuppressionReason | null },
    fields: { text: 'text', reason: SUPPRESSION_REASONS },
  }),
};

export type ListPage = keyof typeof LIST_FILTERS;
export type FiltersOf<P extends ListPage> = (typeof LIST_FILTERS)[P]['none'];

export const isListPage = (page: string): page is ListPage => page in LIST_FILTERS;

type Filters = Record<string, FilterValue>;

/** A page's filters, seen as plain name → value (for the router, which treats every list alike). */
export const listFiltersOf = (page: ListPage) => LIST_FILTERS[page] as unknown as ListFilters<Filters>;

/** The URL query for filters: only those set to something other than "none". */
export function filtersToQuery<F>(spec: ListFilters<F>, f: F): Record<string, string> {
  const query: Record<string, string> = {};
  for (const key of Object.keys(spec.fields) as (keyof F & string)[]) {
    const value = f[key] as FilterValue;
    if (value === spec.none[key] || value === null || value === '' || value === false) continue;
    query[key] = value === true ? '1' : String(value);
  }
  return query;
}

/** Filters from a URL query; what is not there, or not a valid value, is "none". */
export function queryToFilters<F>(spec: ListFilters<F>, query: Record<string, string>): F {
  const f = { ...spec.none };
  for (const key of Object.keys(spec.fields) as (keyof F & string)[]) {
    const raw = query[key];
    if (raw === undefined) continue;
    const value = parseField(spec.fields[key], raw.trim());
    if (value !== undefined) (f as Record<string, FilterValue>)[key] = value;
  }
  return f;
}

function parseField(kind: FieldKind, raw: string): FilterValue | undefined {
  if (Array.isArray(kind)) return kind.includes(raw) ? raw : undefined;
  if (kind === 'flag') return raw === '1' || raw === 'true' ? true : undefined;
  if (kind === 'ms') return /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
  if (kind === 'date') return /^\d{4}-\d{2}-\d{2}$/.test(raw) ? raw : undefined;
  return raw.slice(0, 320) || undefined;
}

/** A link to a list page showing exactly these filters (the rest "none"), e.g. from a Dashboard count. */
export function listHref<P extends ListPage>(page: P, filters: Partial<FiltersOf<P>>): string {
  const spec = LIST_FILTERS[page] as unknown as ListFilters<FiltersOf<P>>;
  return formatRoute({ page, messageId: null, query: filtersToQuery(spec, { ...spec.none, ...filters }) });
}
