import type { EventName } from '@shared/api/contract';
import type { EngineContext } from '../engine/context';
import { startThrottledPublisher } from '../engine/throttled-publisher';

/** Events after which the statistics have moved. */
const MOVES_STATS: ReadonlySet<EventName> = new Set([
  'message.accepted',
  'message.changed',
  'bounce.recorded',
  'intake.rejected',
]);

/**
 * Pushes `stats.changed` after changes, at most 4 a second, and only while a console listens. It
 * carries no figures: each console asks for the summary and series again in its own time zone
 * (two consoles may sit in two zones), so the relay computes nothing for a push itself.
 */
export function startStatsPublisher(ctx: EngineContext): () => void {
  const { events, clock } = ctx;
  return startThrottledPublisher(events, 'stats.changed', () => ({ at: clock.now() }), {
    moves: (event) => MOVES_STATS.has(event.type),
    onlyForConsoles: true,
    onError: (err) => ctx.log.error('stats-push-failed', { error: (err as Error).message }),
  });
}
