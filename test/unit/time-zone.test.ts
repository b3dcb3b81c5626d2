import {
  daysBetween,
  isoDay,
  isTimeZone,
  offsetAt,
  startOfDay,
  startOfNextDay,
} from '@shared/domain/time-zone';
import { describe, expect, it } from 'vitest';

const at = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString();

describe('days in a time zone', () => {
  it('start at local midnight in zones with whole, half and three-quarter hour offsets', () => {
    const cases: [string, string, string][] = [
      ['UTC', '2026-06-15T12:00:00Z', '2026-06-15T00:00:00.000Z'],
      ['Europe/Berlin', '2026-06-15T12:00:00Z', '2026-06-14T22:00:00.000Z'],
      ['Asia/Kolkata', '2026-06-15T12:00:00Z', '2026-06-14T18:30:00.000Z'],
      ['Asia/Kolkata', '2026-06-15T18:29:59Z', '2026-06-14T18:30:00.000Z'],
      ['Asia/Kolkata', '2026-06-15T18:30:00Z', '2026-06-15T18:30:00.000Z'],
      ['Asia/Kathmandu', '2026-06-15T18:15:00Z', '2026-06-15T18:15:00.000Z'],
      ['America/St_Johns', '2026-01-15T03:29:00Z', '2026-01-14T03:30:00.000Z'],
      ['Pacific/Chatham', '2026-06-15T12:00:00Z', '2026-06-15T11:15:00.000Z'],
      ['Pacific/Kiritimati', '2026-06-15T09:59:00Z', '2026-06-14T10:00:00.000Z'],
    ];
    for (const [zone, now, midnight] of cases) {
      expect(iso(startOfDay(zone, at(now))), `${zone} ${now}`).toBe(midnight);
    }
  });

  it('are 23 and 25 hours long where the clock changes, in New York and Berlin', () => {
    const hours = (zone: string, from: string, to: string) =>
      daysBetween(zone, at(from), at(to)).map((d) => [isoDay(zone, d.start), (d.end - d.start) / 3_600_000]);
    expect(hours('America/New_York', '2026-03-08T12:00:00Z', '2026-03-09T12:00:00Z')).toEqual([
      ['2026-03-08', 23],
      ['2026-03-09', 24],
    ]);
    expect(hours('America/New_York', '2026-11-01T12:00:00Z', '2026-11-02T12:00:00Z')).toEqual([
      ['2026-11-01', 25],
      ['2026-11-02', 24],
    ]);
    expect(hours('Europe/Berlin', '2026-10-25T12:00:00Z', '2026-10-25T13:00:00Z')).toEqual([
      ['2026-10-25', 25],
    ]);
  });

  it('begin when the clock jumps where a zone skips midnight (Santiago in September)', () => {
    // Chile moved its clocks from 24:00 to 01:00 on 6 September 2026: that day began at 01:00.
    const start = startOfDay('America/Santiago', at('2026-09-06T12:00:00Z'));
    expect(iso(start)).toBe('2026-09-06T04:00:00.000Z');
    expect(offsetAt('America/Santiago', start)).toBe(-3 * 3_600_000);
    expect(isoDay('America/Santiago', start)).toBe('2026-09-06');
    expect(isoDay('America/Santiago', start - 1)).toBe('2026-09-05');
    expect(iso(startOfNextDay('America/Santiago', at('2026-09-05T12:00:00Z')))).toBe(iso(start));
  });

  it('know the IANA names and refuse others', () => {
    expect(isTimeZone('Asia/Kolkata')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});
