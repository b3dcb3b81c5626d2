import type { EventMap, EventName, PushEvent } from '@shared/api/contract';
import type { EngineEvents } from './events';

/** At most 4 updates a second, however fast mail flows. */
const MIN_INTERVAL_MS = 250;

/** Events that are themselves throttled summaries: they never trigger another one. */
const SUMMARIES: ReadonlySet<EventName> = new Set(['status.changed', 'stats.changed']);

/**
 * Pushes `type` (computed by `compute`) after events that `moves` says change it, coalescing
 * bursts to one push per 250 ms. With `onlyForConsoles`, nothing is computed while no console
 * is attached.
 */
export function startThrottledPublisher<E extends EventName>(
  events: EngineEvents,
  type: E,
  compute: () => EventMap[E],
  options: {
    moves?: (event: PushEvent) => boolean;
    onlyForConsoles?: boolean;
    /** A failed compute (a store error) goes here; the next change tries again. */
    onError?: (error: unknown) => void;
  } = {},
): () => void {
  const { moves = () => true, onlyForConsoles = false, onError = () => {} } = options;
  const wanted = () => !onlyForConsoles || events.consoleCount() > 0;
  let timer: NodeJS.Timeout | undefined;
  let last = Number.NEGATIVE_INFINITY;
  // libuv timers may fire a millisecond early against a monotonic clock: a push that comes
  // too soon waits for the rest, so two pushes are never closer than MIN_INTERVAL_MS.
  const publish = () => {
    const wait = last + MIN_INTERVAL_MS - performance.now();
    if (wait > 0) {
      timer = setTimeout(publish, Math.ceil(wait));
      return;
    }
    timer = undefined;
    if (!wanted()) return;
    let data: EventMap[E];
    try {
      data = compute();
    } catch (err) {
      onError(err);
      return;
    }
    // The interval runs from one push to the next, whatever computing them took.
    last = performance.now();
    events.emit(type, data);
  };
  const unsubscribe = events.subscribe((event) => {
    if (timer || SUMMARIES.has(event.type) || !moves(event) || !wanted()) return;
    timer = setTimeout(publish, Math.max(0, Math.ceil(last + MIN_INTERVAL_MS - performance.now())));
  });
  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
  };
}
