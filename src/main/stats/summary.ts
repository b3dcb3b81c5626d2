import { STAT_BUCKETS, type StatsSummary, windowOf } from '@shared/domain/stats';
import type { StatsFilter, StatsRepo } from '../store/stats-repo';

const HOUR = STAT_BUCKETS.hour;
const DAY = STAT_BUCKETS.day;

const floorHour = (t: number) => t - (t % HOUR);

/** Local midnight of the day `now` falls in (the machine's time zone: the console runs here too). */
export function localMidnight(now: number): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/**
 * Today, 7 and 30 days, summed from the hour roll-ups (at most 720 buckets per connection and
 * domain, however much mail there was). Windows start on an hour boundary and run to now.
 */
export function statsSummary(stats: StatsRepo, now: number, filter: StatsFilter = {}): StatsSummary {
  const to = floorHour(now) + HOUR;
  const window = (since: number) => windowOf(since, stats.totals(HOUR, since, to, filter));
  return {
    at: now,
    today: window(floorHour(localMidnight(now))),
    last7Days: window(floorHour(now - 7 * DAY)),
    last30Days: window(floorHour(now - 30 * DAY)),
  };
}
