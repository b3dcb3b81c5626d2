/**
 * When the generated mail arrives: `total` acceptance times over the 30 days before `now`,
 * busier by day than by night and on weekdays than at weekends, oldest first.
 */
import type { Random } from './random';

export const HOUR = 3_600_000;
export const SPAN_HOURS = 30 * 24;

/** Relative traffic by hour of the day (UTC), night low, late morning and evening high. */
const BY_HOUR = [2, 1, 1, 1, 1, 2, 4, 7, 9, 10, 10, 9, 8, 8, 9, 9, 9, 9, 10, 10, 8, 6, 4, 3];

/** How many mails arrive in each of the 720 hours before `now` (the first hour oldest). */
export function mailsPerHour(total: number, now: number): number[] {
  const start = now - SPAN_HOURS * HOUR;
  const weights = Array.from({ length: SPAN_HOURS }, (_, h) => {
    const at = new Date(start + h * HOUR);
    const weekend = at.getUTCDay() === 0 || at.getUTCDay() === 6 ? 0.6 : 1;
    // The shop grows: the last day sees about half as much again as the first.
    return (BY_HOUR[at.getUTCHours()] ?? 1) * weekend * (1 + (0.5 * h) / SPAN_HOURS);
  });
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.floor((total * w) / sum));
  let missing = total - counts.reduce((a, b) => a + b, 0);
  for (let h = SPAN_HOURS - 1; missing > 0; h = (h - 1 + SPAN_HOURS) % SPAN_HOURS, missing--) {
    counts[h] = (counts[h] ?? 0) + 1;
  }
  return counts;
}

/** `count` sorted times within hour `h` of the span ending at `now`. */
export function timesInHour(random: Random, now: number, h: number, count: number): number[] {
  const start = now - (SPAN_HOURS - h) * HOUR;
  return Array.from({ length: count }, () => start + random.int(HOUR)).sort((a, b) => a - b);
}
