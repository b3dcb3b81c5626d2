/**
 * Calendar days in an IANA time zone (`Europe/Berlin`, `Asia/Kolkata`), for "today", day points,
 * statements and their CSV: one rule for all of them. The console sends its own zone
 * (`Intl.DateTimeFormat().resolvedOptions().timeZone`); API callers that send none get UTC.
 * Pure Intl, so the engine and the console compute the same days.
 */

export const DEFAULT_TIME_ZONE = 'UTC';

const DAY_MS = 86_400_000;

/** A calendar date: year, month 1–12, day 1–31. */
export interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    // A handful of zones per process; a console that sends a new one each time cannot grow this far.
    if (formatters.size > 64) formatters.clear();
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `name` is a time zone this runtime knows (IANA names, `UTC`). */
export function isTimeZone(name: string): boolean {
  try {
    formatterOf(name);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock in `timeZone` at instant `t`, as if it were UTC (ms), and its calendar day. */
function wallClock(timeZone: string, t: number): { wall: number; day: CalendarDay } {
  const parts: Record<string, number> = {};
  for (const p of formatterOf(timeZone).formatToParts(t)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const day = { year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1 };
  const wall = Date.UTC(
    day.year,
    day.month - 1,
    day.day,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return { wall, day };
}

/** How far `timeZone` is ahead of UTC at instant `t` (ms; whole seconds). */
export function offsetAt(timeZone: string, t: number): number {
  const s = Math.floor(t / 1000) * 1000;
  return wallClock(timeZone, s).wall - s;
}

/** The calendar day instant `t` falls on in `timeZone`. */
export function dayOf(timeZone: string, t: number): CalendarDay {
  return wallClock(timeZone, t).day;
}

/** "2026-06-15". */
export function formatCalendarDay({ year, month, day }: CalendarDay): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** "2026-06-15": the calendar day of `t` in `timeZone`. */
export function isoDay(timeZone: string, t: number): string {
  return formatCalendarDay(dayOf(timeZone, t));
}

/**
 * The first instant of calendar day `d` in `timeZone`: its midnight, or where a zone's clock
 * jumps over midnight (America/Santiago, for one), the moment of the jump. Two offset lookups,
 * the way date libraries find an instant for a wall-clock time.
 */
export function startOfCalendarDay(timeZone: string, d: CalendarDay): number {
  const wall = Date.UTC(d.year, d.month - 1, d.day);
  const o1 = offsetAt(timeZone, wall);
  const t1 = wall - o1;
  const o2 = offsetAt(timeZone, t1);
  if (o1 === o2) return t1;
  const t2 = wall - o2;
  if (offsetAt(timeZone, t2) === o2) return t2;
  // Midnight does not exist that day: the day begins when the clock jumps past it.
  return Math.max(t1, t2);
}

/** The first instant of the day `t` falls on, in `timeZone`. */
export function startOfDay(timeZone: string, t: number): number {
  return startOfCalendarDay(timeZone, dayOf(timeZone, t));
}

/** The calendar day `n` days after `d` (before, for negative `n`). */
export function addCalendarDays(d: CalendarDay, n: number): CalendarDay {
  const next = new Date(Date.UTC(d.year, d.month - 1, d.day) + n * DAY_MS);
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

/** The calendar day after `d`. */
export function nextCalendarDay(d: CalendarDay): CalendarDay {
  return addCalendarDays(d, 1);
}

/** The first instant of the day after the one `t` falls on, in `timeZone`. */
export function startOfNextDay(timeZone: string, t: number): number {
  return startOfCalendarDay(timeZone, nextCalendarDay(dayOf(timeZone, t)));
}

/**
 * The days of `timeZone` that overlap [from, to): each with its calendar day and its bounds
 * (start inclusive, end exclusive). A day is 23, 24 or 25 hours where the zone changes its clock.
 */
export function daysBetween(
  timeZone: string,
  from: number,
  to: number,
): { day: CalendarDay; start: number; end: number }[] {
  const days: { day: CalendarDay; start: number; end: number }[] = [];
  if (from >= to) return days;
  let day = dayOf(timeZone, from);
  let start = startOfCalendarDay(timeZone, day);
  while (start < to) {
    const next = nextCalendarDay(day);
    const end = startOfCalendarDay(timeZone, next);
    days.push({ day, start, end });
    day = next;
    start = end;
  }
  return days;
}
