import type { ResultOf } from '@shared/api/contract';
import { AppError } from '@shared/api/errors';
import type { ParsedParamsOf } from '@shared/api/schemas';
import { STAT_BUCKETS } from '@shared/domain/stats';
import type { EngineContext } from '../engine/context';
import { statsSummary } from '../stats/summary';
import type { StatsFilter } from '../store/stats-repo';

const MAX_POINTS = 2000;
const DEFAULT_POINTS = 60;

const filterOf = (p: { connectionId?: string | undefined; domain?: string | undefined }): StatsFilter => ({
  ...(p.connectionId ? { connectionId: p.connectionId } : {}),
  ...(p.domain ? { domain: p.domain } : {}),
});

export function statsService(ctx: EngineContext) {
  const { store, clock } = ctx;
  return {
    summary(p: ParsedParamsOf<'stats.summary'>): ResultOf<'stats.summary'> {
      return statsSummary(store.stats, clock.now(), filterOf(p));
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
      if ((to - from) / size > MAX_POINTS) {
        throw new AppError(
          'invalid_params',
          `That range holds more than ${MAX_POINTS} ${p.bucket} buckets; shorten it or pick a larger bucket.`,
          { bucket: `use a larger bucket than ${p.bucket}, or a shorter range` },
        );
      }
      return { bucket: p.bucket, points: store.stats.series(size, from, to, filterOf(p)) };
    },
  };
}
