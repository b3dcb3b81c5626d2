/**
 * What the console asks of a big store, through the services the API calls (params validated by
 * the API's own schemas): dashboard summary and series, and message search pages with each
 * filter. Each run draws its own parameters, so no single answer is measured over and over.
 */

import { type ParamsOf, paramSchemas } from '@shared/api/schemas';
import type { RecipientStatus } from '@shared/domain/message';
import type { ManualClock } from '../../src/main/engine/clock';
import type { EngineContext } from '../../src/main/engine/context';
import { messagesService } from '../../src/main/services/messages';
import { statsService } from '../../src/main/services/stats';
import { relayStatus } from '../../src/main/services/status';
import { FREE_TEXT, SEARCH_WORDS } from './mail-mix';
import type { Random } from './random';
import type { Sample } from './sample';

export interface BenchCase {
  name: string;
  /** Which target applies: dashboard reads (50 ms), a search page (100 ms) or the relay status (5 ms). */
  kind: 'dashboard' | 'search' | 'status';
  /** One request; returns how many items (messages or points) came back. */
  run(random: Random): number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const DEEP_PAGE = 20;

export function consoleCases(ctx: EngineContext, clock: ManualClock, sample: Sample): BenchCase[] {
  const now = clock.now();
  const stats = statsService(ctx);
  const messages = messagesService(ctx);
  const summary = (p: ParamsOf<'stats.summary'>) => stats.summary(paramSchemas['stats.summary'].parse(p));
  const series = (p: ParamsOf<'stats.series'>) => stats.series(paramSchemas['stats.series'].parse(p));
  const search = (p: ParamsOf<'messages.search'>) =>
    messages.search(paramSchemas['messages.search'].parse({ limit: 100, ...p }));

  /** The summary as the dashboard asks for it, some minutes to hours before the generation's end. */
  const summaryAt = (random: Random, p: ParamsOf<'stats.summary'>) => {
    clock.set(now - random.int(6 * 60) * MINUTE);
    try {
      summary(p);
      return 3;
    } finally {
      clock.set(now);
    }
  };
  /** A series of `points` buckets ending somewhere in the last `withinMs`. */
  const seriesEnding = (
    random: Random,
    bucket: 'minute' | 'hour' | 'day',
    points: number,
    withinMs: number,
    timeZone?: string,
  ) => {
    const size = { minute: MINUTE, hour: HOUR, day: DAY }[bucket];
    const to = now - (now % size) + size - random.int(Math.max(1, withinMs / size)) * size;
    return series({ bucket, from: to - points * size, to, ...(timeZone ? { timeZone } : {}) }).points.length;
  };
  /** One whole day from the middle of the 30 days (days 8 to 22). */
  const middleDay = (random: Random) => {
    const from = now - (now % DAY) - (8 + random.int(15)) * DAY;
    return { from, to: from + DAY };
  };
  const rareStatuses: RecipientStatus[] = ['complained', 'expired'];
  const statuses: RecipientStatus[] = ['delivered', 'bounced', 'deferred'];

  const deepBases: ParamsOf<'messages.search'>[] = [
    {},
    ...sample.connectionIds.map((connectionId) => ({ connectionId })),
    ...sample.domains.slice(0, 4).map((domain) => ({ domain })),
    { subject: 'order' },
    { text: 'rechnung' },
    { status: 'bounced' },
  ];
  // The cursors of page 19 are found once, untimed; each run fetches one page 20.
  const deepCursors = deepBases.map((base) => {
    let cursor: string | null = null;
    for (let page = 1; page < DEEP_PAGE; page++) {
      cursor = search({ ...base, ...(cursor ? { cursor } : {}) }).nextCursor;
      if (!cursor) break;
    }
    return { base, cursor };
  });

  const dashboard = (name: string, run: BenchCase['run']): BenchCase => ({ name, kind: 'dashboard', run });
  const page = (name: string, params: (random: Random) => ParamsOf<'messages.search'>): BenchCase => ({
    name,
    kind: 'search',
    run: (random) => search(params(random)).items.length,
  });

  return [
    // What every status bar and tray shows, and what each status.changed push computes.
    {
      name: 'status.get',
      kind: 'status',
      run: () => Object.keys(relayStatus(ctx).counts.recipients).length,
    },
    dashboard('stats.summary', (r) => summaryAt(r, {})),
    dashboard('stats.summary connection', (r) =>
      summaryAt(r, { connectionId: r.pick(sample.connectionIds) }),
    ),
    dashboard('stats.summary Asia/Kolkata', (r) => summaryAt(r, { timeZone: 'Asia/Kolkata' })),
    dashboard('stats.series minute x60', (r) => seriesEnding(r, 'minute', 60, DAY)),
    dashboard('stats.series hour x24', (r) => seriesEnding(r, 'hour', 24, 7 * DAY)),
    dashboard('stats.series hour x168 (7 days)', (r) => seriesEnding(r, 'hour', 168, 7 * DAY)),
    dashboard('stats.series day x30', (r) => seriesEnding(r, 'day', 30, 3 * DAY)),
    dashboard('stats.series day x30 New York', (r) =>
      seriesEnding(r, 'day', 30, 3 * DAY, 'America/New_York'),
    ),
    dashboard('stats.series day x30 Kolkata', (r) => seriesEnding(r, 'day', 30, 3 * DAY, 'Asia/Kolkata')),
    page('search first page', () => ({})),
    page('search status=bounced', () => ({ status: 'bounced' })),
    page('search status=complained|expired', (r) => ({ status: r.pick(rareStatuses) })),
    page('search connection', (r) => ({ connectionId: r.pick(sample.connectionIds) })),
    page('search sending domain', (r) => ({ domain: r.pick(sample.domains) })),
    page('search date range (1 day)', (r) => middleDay(r)),
    page('search recipient', (r) => ({ recipient: r.pick(sample.recipients) })),
    page('search sender', (r) => ({ sender: r.pick(sample.senders) })),
    page('search messageId', (r) => ({ messageId: r.pick(sample.messageIds) })),
    page('search subject word', (r) => ({ subject: r.pick(SEARCH_WORDS) })),
    page('search free text (2 words)', (r) => ({ text: r.pick(FREE_TEXT) })),
    page('search connection+status+day', (r) => ({
      connectionId: r.pick(sample.connectionIds.slice(0, 4)),
      status: r.pick(statuses),
      ...middleDay(r),
    })),
    page(`search page ${DEEP_PAGE} (cursor)`, (r) => {
      const deep = r.pick(deepCursors);
      return { ...deep.base, ...(deep.cursor ? { cursor: deep.cursor } : {}) };
    }),
  ];
}
