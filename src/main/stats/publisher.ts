import type { EventName } from '@shared/api/contract';
import type { EngineContext } from '../engine/context';
import { statsSummary } from './summary';

/** At most 4 updates a second, however fast mail flows. */
const MIN_INTERVAL_MS = 250;

/** Events after which the statistics have moved. */
const MOVES_STATS: ReadonlySet<EventName> = new Set([
  'message.accepted',
  'message.changed',
  'bounce.recorded',
  'intake.rejected',
]);

/**
 * Pushes `stats.changed` (the unfiltered summary) after changes, coalescing bursts, and only
 * while a console listens: with none attached the roll-ups are still written, nothing is computed.
 */
export function startStatsPublisher(ctx: EngineContext): () => void {
  const { events, store, clock } = ctx;
  let timer: NodeJS.Timeout | undefined;
  let last = 0;
  const publish = () => {
    timer = undefined;
    if (events.consoleCount() === 0) return;
    last = Date.now();
    events.emit('stats.changed', statsSummary(store.stats, clock.now()));
  };
  const unsubscribe = events.subscribe((event) => {
    if (timer || !MOVES_STATS.has(event.type) || events.consoleCount() === 0) return;
    timer = setTimeout(publish, Math.max(0, last + MIN_INTERVAL_MS - Date.now()));
  });
  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
  };
}
