import type { StatBucket, StatsPoint } from '@shared/domain/stats';
import { bouncedOf } from './stat-format';

export interface ChartRow {
  label: string;
  arrived: number;
  delivered: number;
  bounced: number;
}

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
// Day buckets start at UTC midnight: read them in UTC, or they show as the day before west of Greenwich.
const date = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });

export function bucketLabel(at: number, bucket: StatBucket): string {
  return bucket === 'day' ? date.format(at) : clock.format(at);
}

export function chartRows(points: StatsPoint[], bucket: StatBucket): ChartRow[] {
  return points.map((p) => ({
    label: bucketLabel(p.at, bucket),
    arrived: p.arrived,
    delivered: p.delivered,
    bounced: bouncedOf(p),
  }));
}

/** Everything the chart draws, added up: it changes exactly when the drawing does. */
export function plottedTotal(rows: ChartRow[]): number {
  return rows.reduce((sum, r) => sum + r.arrived + r.delivered + r.bounced, 0);
}
