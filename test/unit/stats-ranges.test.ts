import { STAT_BUCKETS } from '@shared/domain/stats';
import { daysBetween } from '@shared/domain/time-zone';
import { describe, expect, it } from 'vitest';
import { keptAt, type Piece, piecesOf, roundToKept } from '../../src/main/stats/ranges';

const { minute: MINUTE, hour: HOUR, day: DAY } = STAT_BUCKETS;
const NOW = Date.UTC(2026, 5, 15, 14, 30);

/** Counts per minute over the last 120 days, and what each bucket size rolls them up to. */
function rollUps(seed: number) {
  let x = seed;
  const random = () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
  const start = NOW - 120 * DAY;
  const minutes = new Map<number, number>();
  for (let t = start - (start % MINUTE); t < NOW; t += MINUTE)
    if (random() < 0.05) minutes.set(t, 1 + Math.floor(random() * 9));
  const bySize = new Map<number, Map<number, number>>();
  for (const size of [MINUTE, HOUR, DAY]) {
    const buckets = new Map<number, number>();
    for (const [t, n] of minutes) buckets.set(t - (t % size), (buckets.get(t - (t % size)) ?? 0) + n);
    bySize.set(size, buckets);
  }
  const kept = keptAt(NOW);
  const sumPieces = (pieces: Piece[]) => {
    let total = 0;
    for (const p of pieces) {
      // A piece may only read buckets retention still keeps.
      if (p.size === MINUTE) expect(p.from).toBeGreaterThanOrEqual(kept.minute);
      if (p.size === HOUR) expect(p.from).toBeGreaterThanOrEqual(kept.hour);
      for (const [bucket, n] of bySize.get(p.size) ?? [])
        if (bucket >= p.from && bucket < p.to) total += p.sign * n;
    }
    return total;
  };
  const exact = (from: number, to: number) => {
    let total = 0;
    for (const [t, n] of minutes) if (t >= from && t < to) total += n;
    return total;
  };
  return { sumPieces, exact, kept };
}

describe('statistics ranges from day, hour and minute buckets', () => {
  it('add up to exactly the minutes in range wherever the buckets are still kept', () => {
    const { sumPieces, exact, kept } = rollUps(1);
    let x = 7;
    const random = (n: number) => {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      return x % n;
    };
    for (let i = 0; i < 400; i++) {
      // Ranges within the minute retention, then within the hour retention (whole hours).
      const recent = i % 2 === 0;
      const unit = recent ? MINUTE : HOUR;
      const span = recent ? 2 * DAY : 85 * DAY;
      const from = roundToKept(NOW - random(span / unit) * unit, kept);
      const to = Math.min(NOW + HOUR, from + random((40 * DAY) / unit) * unit + unit);
      const pieces = piecesOf(from, to, kept);
      expect(sumPieces(pieces), `${new Date(from).toISOString()} → ${new Date(to).toISOString()}`).toBe(
        exact(from, to),
      );
    }
  });

  it('read a zone’s day as one day bucket and a few hours, not 24 hours', () => {
    const { sumPieces, exact, kept } = rollUps(2);
    for (const zone of [
      'Europe/Berlin',
      'America/New_York',
      'Asia/Kolkata',
      'Asia/Kathmandu',
      'Pacific/Chatham',
    ]) {
      for (const d of daysBetween(zone, NOW - 80 * DAY, NOW - DAY)) {
        const from = roundToKept(d.start, kept);
        const to = roundToKept(d.end, kept);
        const pieces = piecesOf(from, to, kept);
        expect(sumPieces(pieces)).toBe(exact(from, to));
        // Hour offsets up to 13: at most 12 hours at each end, plus the days.
        const hours = pieces.filter((p) => p.size === HOUR).reduce((n, p) => n + (p.to - p.from) / HOUR, 0);
        expect(hours, zone).toBeLessThanOrEqual(24);
      }
    }
    // Berlin in summer (UTC+2): one day bucket, 2 hours added before it, 2 hours taken off its end.
    const berlin = daysBetween('Europe/Berlin', NOW - 10 * DAY, NOW - 9 * DAY)[0];
    expect(
      piecesOf(berlin?.start ?? 0, berlin?.end ?? 0, kept).map((p) => [
        p.size,
        (p.to - p.from) / p.size,
        p.sign,
      ]),
    ).toEqual([
      [HOUR, 2, 1],
      [HOUR, 2, -1],
      [DAY, 1, 1],
    ]);
  });

  it('are exact to the minute for a Kolkata midnight within 2 days, and to the hour before', () => {
    const { kept } = rollUps(3);
    const recent = Date.UTC(2026, 5, 14, 18, 30);
    expect(roundToKept(recent, kept)).toBe(recent);
    expect(piecesOf(recent, NOW, kept).some((p) => p.size === MINUTE)).toBe(true);
    const older = Date.UTC(2026, 5, 1, 18, 30);
    expect(roundToKept(older, kept)).toBe(Date.UTC(2026, 5, 1, 18, 0));
    const kathmandu = Date.UTC(2026, 5, 1, 18, 15);
    expect(roundToKept(kathmandu, kept)).toBe(Date.UTC(2026, 5, 1, 18, 0));
    // Older than the hour buckets: the nearest UTC midnight.
    expect(roundToKept(Date.UTC(2026, 0, 1, 18, 30), kept)).toBe(Date.UTC(2026, 0, 2));
  });
});
