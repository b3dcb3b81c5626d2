import {
  emptyCounts,
  STAT_METRICS,
  type StatCounts,
  type StatMetric,
  type StatsPoint,
} from '@shared/domain/stats';
import type { Piece } from '../stats/ranges';
import type { Db } from './db';

export interface StatsFilter {
  connectionId?: string;
  domain?: string;
}

/**
 * The two roll-ups, both kept by triggers (migrations 0006 and 0010) in the transaction of the
 * change they count, with one counter per bucket (minute, hour, day), connection, sending domain
 * and metric:
 * - `stats`, the activity: what happened in each bucket (recipients arrived, first delivery,
 *   first deferral, expiry, first bounce or complaint per recipient, intake refusals);
 * - `outcomes`: each recipient once, in its current state, in the bucket its mail was accepted
 *   in (waiting, delivered, bouncedHard, bouncedSoft, expired, complained, suppressed, captured,
 *   cancelled), and `deferred` for those deferred at least once.
 */
export type RollUp = 'stats' | 'outcomes';

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

/** Reads the roll-ups and prunes their fine buckets; the triggers write them. */
export class StatsRepo {
  constructor(private readonly db: Db) {}

  /** Sums per metric over buckets of `size` starting in [from, to). */
  sums(rollUp: RollUp, size: number, from: number, to: number, f: StatsFilter = {}): Map<string, number> {
    const w = where(size, from, to, f);
    const out = new Map<string, number>();
    for (const r of this.db
      .prepare<unknown[], { metric: string; n: number }>(
        `SELECT metric, SUM(n) AS n FROM ${rollUp} WHERE ${w.sql} GROUP BY metric`,
      )
      .all(...w.params)) {
      out.set(r.metric, r.n);
    }
    return out;
  }

  /** Sums per metric over pieces (see stats/ranges.ts): the buckets of a range, some taken off. */
  sumPieces(rollUp: RollUp, pieces: Piece[], f: StatsFilter = {}): Map<string, number> {
    const out = new Map<string, number>();
    for (const p of pieces) {
      for (const [metric, n] of this.sums(rollUp, p.size, p.from, p.to, f)) {
        out.set(metric, (out.get(metric) ?? 0) + p.sign * n);
      }
    }
    return out;
  }

  /** The activity summed over buckets of `size` starting in [from, to). */
  totals(size: number, from: number, to: number, f: StatsFilter = {}): StatCounts {
    return countsOf(this.sums('stats', size, from, to, f));
  }

  /** One activity point per bucket of `size` in [from, to), empty buckets included. */
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

  /** Drops buckets of `size` that start before `before`, in both roll-ups. Returns how many rows went. */
  prune(size: number, before: number): number {
    let removed = 0;
    for (const rollUp of ['stats', 'outcomes'] as const) {
      removed += this.db
        .prepare(`DELETE FROM ${rollUp} WHERE size = ? AND bucket < ?`)
        .run(size, before).changes;
    }
    return removed;
  }
}

/** The activity's metrics from raw sums (other names ignored). */
export function countsOf(sums: Map<string, number>): StatCounts {
  const counts = emptyCounts();
  for (const [metric, n] of sums) if (METRICS.has(metric)) counts[metric as StatMetric] = n;
  return counts;
}
