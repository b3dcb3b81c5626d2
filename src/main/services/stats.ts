import type { ResultOf } from '@shared/api/contract';
import { AppError } from '@shared/api/errors';
import type { ParsedParamsOf } from '@shared/api/schemas';
import { STAT_BUCKETS, type StatsPoint } from '@shared/domain/stats';
import { daysBetween, formatCalendarDay } from '@shared/domain/time-zone';
import type { EngineContext } from '../engine/context';
import { keptAt, piecesOf, roundToKept } from '../stats/ranges';
import { statsSummary } from '../stats/summary';
import { countsOf, type StatsFilter, type StatsRepo } from '../store/stats-repo';

const MAX_POINTS = 2000;
const DEFAULT_POINTS = 60;
const DAY = STAT_BUCKETS.day;

const filterOf = (p: { connectionId?: string | undefined; domain?: string | undefined }): StatsFilter => ({
  ...(p.connectionId ? { connectionId: p.connectionId } : {}),
  ...(p.domain ? { domain: p.domain } : {}),
});

/**
 * One activity point per day of `timeZone` overlapping [from, to). Days whose hour buckets are
 * kept (90 days) are that zone's days, to the minute within the 2 days minute buckets are kept
 * and to the nearest hour before (15 to 30 minutes off in a :30 or :45 zone); older days are
 * the UTC days of the same date.
 */
function zoneDays(
  stats: StatsRepo,
  from: number,
  to: number,
  now: number,
  timeZone: string,
  filter: StatsFilter,
): StatsPoint[] {
  const kept = keptAt(now);
  return daysBetween(timeZone, from, to).map(({ day, start, end }) => {
    let pieces: ReturnType<typeof piecesOf>;
    if (roundToKept(start, kept) < kept.hour) {
      const utc = Date.UTC(day.year, day.month - 1, day.day);
      pieces = [{ size: DAY, from: utc, to: utc + DAY, sign: 1 }];
    } else {
      pieces = piecesOf(roundToKept(start, kept), roundToKept(end, kept), kept);
    }
    return { at: start, day: formatCalendarDay(day), ...countsOf(stats.sumPieces('stats', pieces, filter)) };
  });
}

export function statsService(ctx: EngineContext) {
  const { store, clock } = ctx;
  return {
    summary(p: ParsedParamsOf<'stats.summary'>): ResultOf<'stats.summary'> {
      return statsSummary(store.stats, clock.now(), filterOf(p), p.timeZone);
    },

    series(p: ParsedParamsOf<'stats.series'>): ResultOf<'stats.series'> {
      const size = STAT_BUCKETS[p.bucket];
      const now = clock.now();
      const to = p.to ?? now - (now % size) + size;
      const from = p.from ?? to - DEFAULT_POINTS * size;
      if (from >= to) {
        throw new AppError('invalid_params', 'The range is empty: `from` must lie before `to`.', {
          from: 'must be before to',
        });
      }
      // A day is at least 23 hours; more than this many of them is refused before any is counted.
      if ((to - from) / (p.bucket === 'day' ? size - STAT_BUCKETS.hour : size) > MAX_POINTS) {
        throw new AppError(
          'invalid_params',
          `That range holds more than ${MAX_POINTS} ${p.bucket} buckets; shorten it or pick a larger bucket.`,
          { bucket: `use a larger bucket than ${p.bucket}, or a shorter range` },
        );
      }
      const filter = filterOf(p);
      const points =
        p.bucket === 'day'
          ? zoneDays(store.stats, from, to, now, p.timeZone, filter)
          : store.stats.series(size, from, to, filter);
      return { bucket: p.bucket, timeZone: p.timeZone, points };
    },
  };
}
