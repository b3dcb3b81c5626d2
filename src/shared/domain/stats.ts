/**
 * What the statistics count. All per recipient, each recipient at most once per metric:
 * `arrived` is recipients of accepted mail; `deferred` recipients deferred at least once (not
 * attempts); `rejected` is mails refused at intake after login (rate limit, From domain,
 * suppressed, …).
 *
 * Two views use them. A summary window (`stats.summary`) counts the recipients of the mail
 * accepted in the window, each once, in its current state: a mail delivered and then bounced by
 * a report is bounced, not both; a complaint is complained, not delivered as well. A series point
 * (`stats.series`) counts what happened in its bucket: a delivery at 10:02 and that recipient's
 * bounce report at 14:30 are each in their own bucket.
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
  /** Start of the window (inclusive): midnight in the asked time zone for today, else a whole hour; it runs to now. */
  since: number;
  /** The recipients of mail accepted in the window, each once in its current state (and rejected mails). */
  counts: StatCounts;
  /**
   * (delivered + complained) ÷ (delivered + complained + bounced + expired): of the recipients
   * whose fate is known, the share that got the mail. null before any such recipient.
   */
  deliveryRate: number | null;
  /** bounced (hard + soft) ÷ the same; null before any such recipient. */
  bounceRate: number | null;
}

export interface StatsSummary {
  at: number;
  /** The IANA time zone "today" was counted in (the one asked for, else UTC). */
  timeZone: string;
  /** Since midnight in `timeZone`, to the minute. */
  today: StatsWindow;
  last7Days: StatsWindow;
  last30Days: StatsWindow;
}

export interface StatsPoint extends StatCounts {
  /** Bucket start (ms since the epoch): a UTC minute or hour, or midnight of a day in the asked time zone. */
  at: number;
  /** Day points: the calendar day in the asked time zone ("2026-06-15"). */
  day?: string;
}

export function emptyCounts(): StatCounts {
  return Object.fromEntries(STAT_METRICS.map((m) => [m, 0])) as StatCounts;
}

export function windowOf(since: number, counts: StatCounts): StatsWindow {
  const bounced = counts.bouncedHard + counts.bouncedSoft;
  const reached = counts.delivered + counts.complained;
  const settled = reached + bounced + counts.expired;
  return {
    since,
    counts,
    deliveryRate: settled ? reached / settled : null,
    bounceRate: settled ? bounced / settled : null,
  };
}
