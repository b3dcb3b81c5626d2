import {
  emptyCounts,
  STAT_METRICS,
  type StatCounts,
  type StatMetric,
  type StatsPoint,
} from '@shared/domain/stats';
import type { Db } from './db';

export interface StatsFilter {
  connectionId?: string;
  domain?: string;
}

const METRICS: ReadonlySet<string> = new Set(STAT_METRICS);

function where(size: number, from: number, to: number, f: StatsFilter): { sql: string; params: unknown[] } {
  const parts = ['size = ?', 'bucket >= ?', 'bucket < ?'];
  const params: unknown[] = [size, from, to];
  if (f.connectionId !== undefined) {
    parts.push('connection_id = ?');
    params.push(f.connectionId);
  }
  if (f.domain !== undefined) {
    parts.push('domain = ?');
    params.push(f.domain);
  }
  return { sql: parts.join(' AND '), params };
}

/**
 * Reads the statistics roll-ups. They are written by triggers on the event log and the bounce
 * table (migration 0006), in the transaction of the event they count; this repository only reads
 * and prunes them.
 */
export class StatsRepo {
  constructor(private readonly db: Db) {}

  /** Sums over buckets of `size` starting in [from, to). */
  totals(size: number, from: number, to: number, f: StatsFilter = {}): StatCounts {
    const w = where(size, from, to, f);
    const counts = emptyCounts();
    for (const r of this.db
      .prepare<unknown[], { metric: string; n: number }>(
        `SELECT metric, SUM(n) AS n FROM stats WHERE ${w.sql} GROUP BY metric`,
      )
      .all(...w.params)) {
      if (METRICS.has(r.metric)) counts[r.metric as StatMetric] = r.n;
    }
    return counts;
  }

  /** One point per bucket of `size` in [from, to), empty buckets included. */
  series(size: number, from: number, to: number, f: StatsFilter = {}): StatsPoint[] {
    const start = from - (from % size);
    const w = where(size, start, to, f);
    const points = new Map<number, StatsPoint>();
    for (let at = start; at < to; at += size) points.set(at, { at, ...emptyCounts() });
    for (const r of this.db
      .prepare<unknown[], { bucket: number; metric: string; n: number }>(
        `SELECT bucket, metric, SUM(n) AS n FROM stats WHERE ${w.sql} GROUP BY bucket, metric`,
      )
      .all(...w.params)) {
      const point = points.get(r.bucket);
      if (point && METRICS.has(r.metric)) point[r.metric as StatMetric] = r.n;
    }
    return [...points.values()];
  }

  /** Drops buckets of `size` that start before `before`. Returns how many rows went. */
  prune(size: number, before: number): number {
    return this.db.prepare('DELETE FROM stats WHERE size = ? AND bucket < ?').run(size, before).changes;
  }
}
