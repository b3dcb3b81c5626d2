import type { EventName } from '@shared/api/contract';
import type { EngineContext } from '../engine/context';
import { startThrottledPublisher } from '../engine/throttled-publisher';
import { statsSummary } from './summary';

/** Events after which the statistics have moved. */
const MOVES_STATS: ReadonlySet<EventName> = new Set([
  'message.accepted',
  'message.changed',
  'bounce.recorded',
  'intake.rejected',
]);

/**
 * Pushes `stats.changed` (the unfiltered summary) after changes, at most 4 a second, and only
 * while a console listens: with none attached the roll-ups are still written, nothing is computed.
 */
export function startStatsPublisher(ctx: EngineContext): () => void {
  const { events, store, clock } = ctx;
  return startThrottledPublisher(events, 'stats.changed', () => statsSummary(store.stats, clock.now()), {
    moves: (event) => MOVES_STATS.has(event.type),
    onlyForConsoles: true,
    onError: (err) => ctx.log.error('stats-push-failed', { error: (err as Error).message }),
  });
}
