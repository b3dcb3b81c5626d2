import type { StatCounts } from '@shared/domain/stats';

const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });

/** "97.5%", or "—" before any mail had an outcome. */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : percent.format(rate);
}

export function formatCount(n: number): string {
  return n.toLocaleString();
}

/** Hard and soft together: what "bounced" means on the Dashboard. */
export function bouncedOf(counts: StatCounts): number {
  return counts.bouncedHard + counts.bouncedSoft;
}
