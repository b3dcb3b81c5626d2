import type { StatBucket, StatsPoint } from '@shared/domain/stats';
import { bouncedOf } from './stat-format';

export interface ChartRow {
  label: string;
  arrived: number;
  delivered: number;
  bounced: number;
}

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
// A day point names its calendar day ("2026-06-15", in the zone the console asked in): shown as
// that date, whatever zone this formatter would otherwise read an instant in.
const date = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });

export function bucketLabel(point: StatsPoint, bucket: StatBucket): string {
  if (bucket !== 'day') return clock.format(point.at);
  return date.format(point.day ? Date.parse(`${point.day}T00:00:00Z`) : point.at);
}

export function chartRows(points: StatsPoint[], bucket: StatBucket): ChartRow[] {
  return points.map((p) => ({
    label: bucketLabel(p, bucket),
    arrived: p.arrived,
    delivered: p.delivered,
    bounced: bouncedOf(p),
  }));
}

/** Everything the chart draws, added up: it changes exactly when the drawing does. */
export function plottedTotal(rows: ChartRow[]): number {
  return rows.reduce((sum, r) => sum + r.arrived + r.delivered + r.bounced, 0);
}
