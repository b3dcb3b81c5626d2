import { STAT_BUCKETS, type StatBucket } from '@shared/domain/stats';

/** The time spans the Dashboard chart offers: a bucket size and how many buckets up to now. */
export const CHART_RANGES = {
  lastHour: { label: 'Last hour', bucket: 'minute', points: 60 },
  last24Hours: { label: 'Last 24 hours', bucket: 'hour', points: 24 },
  last30Days: { label: 'Last 30 days', bucket: 'day', points: 30 },
} as const satisfies Record<string, { label: string; bucket: StatBucket; points: number }>;

export type ChartRange = keyof typeof CHART_RANGES;

/** The stats.series params for a range ending with the bucket that holds `now`. */
export function seriesParams(range: ChartRange, now: number) {
  const { bucket, points } = CHART_RANGES[range];
  const size = STAT_BUCKETS[bucket];
  const to = now - (now % size) + size;
  return { bucket, from: to - points * size, to };
}
