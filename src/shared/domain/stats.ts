/**
 * What the statistics count. All per recipient: `arrived` is recipients of accepted mail;
 * `rejected` is mails refused at intake after login (rate limit, From domain, suppressed, …).
 */
export const STAT_METRICS = [
  'arrived',
  'delivered',
  'deferred',
  'bouncedHard',
  'bouncedSoft',
  'expired',
  'complained',
  'rejected',
] as const;
export type StatMetric = (typeof STAT_METRICS)[number];
export type StatCounts = Record<StatMetric, number>;

/** Bucket sizes of the roll-ups. Minutes are kept 2 days, hours 90 days, days for ever. */
export const STAT_BUCKETS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
export type StatBucket = keyof typeof STAT_BUCKETS;

export interface StatsWindow {
  /** Start of the window (inclusive, rounded down to the hour); it runs to now. */
  since: number;
  counts: StatCounts;
  /** delivered ÷ (delivered + bounced + expired); null before any outcome. */
  deliveryRate: number | null;
  /** bounced (hard + soft) ÷ (delivered + bounced + expired); null before any outcome. */
  bounceRate: number | null;
}

export interface StatsSummary {
  at: number;
  /** Since local midnight. */
  today: StatsWindow;
  last7Days: StatsWindow;
  last30Days: StatsWindow;
}

export interface StatsPoint extends StatCounts {
  /** Bucket start (ms since the epoch, UTC). */
  at: number;
}

export function emptyCounts(): StatCounts {
  return Object.fromEntries(STAT_METRICS.map((m) => [m, 0])) as StatCounts;
}

export function windowOf(since: number, counts: StatCounts): StatsWindow {
  const bounced = counts.bouncedHard + counts.bouncedSoft;
  const outcomes = counts.delivered + bounced + counts.expired;
  return {
    since,
    counts,
    deliveryRate: outcomes ? counts.delivered / outcomes : null,
    bounceRate: outcomes ? bounced / outcomes : null,
  };
}
