import type { RelayStatus } from '@shared/domain/status';
import type { EngineEvents } from './events';

/** At most 4 status updates a second, however fast mail arrives. */
const MIN_INTERVAL_MS = 250;

/** Pushes `status.changed` after changes that move the counts, coalescing bursts. */
export function startStatusPublisher(events: EngineEvents, compute: () => RelayStatus): () => void {
  let timer: NodeJS.Timeout | undefined;
  let last = 0;
  const publish = () => {
    timer = undefined;
    last = Date.now();
    events.emit('status.changed', compute());
  };
  const unsubscribe = events.subscribe((event) => {
    if (event.type === 'status.changed' || event.type === 'stats.changed' || timer) return;
    timer = setTimeout(publish, Math.max(0, last + MIN_INTERVAL_MS - Date.now()));
  });
  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
  };
}
