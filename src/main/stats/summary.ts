import {
  emptyCounts,
  STAT_BUCKETS,
  type StatCounts,
  type StatsSummary,
  windowOf,
} from '@shared/domain/stats';
import { startOfDay } from '@shared/domain/time-zone';
import type { StatsFilter, StatsRepo } from '../store/stats-repo';
import { keptAt, piecesOf } from './ranges';

const HOUR = STAT_BUCKETS.hour;
const DAY = STAT_BUCKETS.day;

const floorHour = (t: number) => t - (t % HOUR);

/** The states a recipient is counted in (migration 0010); together they are its arrival. */
const STATES = [
  'waiting',
  'delivered',
  'bouncedHard',
  'bouncedSoft',
  'expired',
  'complained',
  'suppressed',
  'captured',
  'cancelled',
] as const;

/**
 * The recipients of mail accepted in [from, to), each once in its current state (the `outcomes`
 * roll-up), and the mails refused at intake in that time (the activity).
 */
export function windowCounts(
  stats: StatsRepo,
  from: number,
  to: number,
  now: number,
  filter: StatsFilter = {},
): StatCounts {
  const pieces = piecesOf(from, to, keptAt(now));
  const outcomes = stats.sumPieces('outcomes', pieces, filter);
  const activity = stats.sumPieces('stats', pieces, filter);
  const of = (metric: string) => outcomes.get(metric) ?? 0;
  return {
    ...emptyCounts(),
    arrived: STATES.reduce((sum, s) => sum + of(s), 0),
    delivered: of('delivered'),
    deferred: of('deferred'),
    bouncedHard: of('bouncedHard'),
    bouncedSoft: of('bouncedSoft'),
    expired: of('expired'),
    complained: of('complained'),
    rejected: activity.get('rejected') ?? 0,
  };
}

/**
 * Today (from midnight in `timeZone`, to the minute), 7 and 30 days (from a whole hour): a few
 * day, hour and minute buckets each (see ranges.ts), however much mail there was.
 */
export function statsSummary(
  stats: StatsRepo,
  now: number,
  filter: StatsFilter,
  timeZone: string,
): StatsSummary {
  const to = floorHour(now) + HOUR;
  const window = (since: number) => windowOf(since, windowCounts(stats, since, to, now, filter));
  return {
    at: now,
    timeZone,
    today: window(startOfDay(timeZone, now)),
    last7Days: window(floorHour(now - 7 * DAY)),
    last30Days: window(floorHour(now - 30 * DAY)),
  };
}
