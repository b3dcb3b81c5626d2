import { STAT_BUCKETS, type StatBucket } from '@shared/domain/stats';
import { addCalendarDays, dayOf, startOfCalendarDay } from '@shared/domain/time-zone';

/** The time spans the Dashboard chart offers: a bucket size and how many buckets up to now. */
export const CHART_RANGES = {
  lastHour: { label: 'Last hour', bucket: 'minute', points: 60 },
  last24Hours: { label: 'Last 24 hours', bucket: 'hour', points: 24 },
  last30Days: { label: 'Last 30 days', bucket: 'day', points: 30 },
} as const satisfies Record<string, { label: string; bucket: StatBucket; points: number }>;

export type ChartRange = keyof typeof CHART_RANGES;

/**
 * The stats.series params for a range ending with the bucket that holds `now`: minutes and hours
 * as the relay keeps them, days as the calendar days of `timeZone` (today and the days before).
 */
export function seriesParams(range: ChartRange, now: number, timeZone: string) {
  const { bucket, points } = CHART_RANGES[range];
  if (bucket === 'day') {
    const today = dayOf(timeZone, now);
    return {
      bucket,
      from: startOfCalendarDay(timeZone, addCalendarDays(today, 1 - points)),
      to: startOfCalendarDay(timeZone, addCalendarDays(today, 1)),
      timeZone,
    };
  }
  const size = STAT_BUCKETS[bucket];
  const to = now - (now % size) + size;
  return { bucket, from: to - points * size, to, timeZone };
}
