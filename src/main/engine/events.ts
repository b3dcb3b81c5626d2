import { EventEmitter } from 'node:events';
import type { EventMap, EventName, PushEvent } from '@shared/api/contract';

/** The engine's event bus: every transition emits exactly one event; transports forward them. */
export class EngineEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  emit<E extends EventName>(type: E, data: EventMap[E]): void {
    this.emitter.emit('event', { type, data } as PushEvent);
  }

  /** Where a subscriber's failure goes (the engine logs it); it never reaches the emitter. */
  onListenerError: (error: unknown, event: PushEvent) => void = () => {};

  /**
   * Subscribe to every event; returns the unsubscribe function. A subscriber that throws is
   * reported and skipped: the emitter has already committed what the event tells (a mail
   * accepted with 250), so its failure must not undo or repeat that.
   */
  subscribe(listener: (event: PushEvent) => void): () => void {
    const safe = (event: PushEvent) => {
      try {
        listener(event);
      } catch (err) {
        this.onListenerError(err, event);
      }
    };
    this.emitter.on('event', safe);
    return () => this.emitter.off('event', safe);
  }

  listenerCount(): number {
    return this.emitter.listenerCount('event');
  }

  private consoles = 0;

  /**
   * A console (an event stream or a desktop window) starts listening; returns its detach. Work
   * done only for consoles, like the live statistics, is skipped while none listens.
   */
  attachConsole(): () => void {
    this.consoles += 1;
    let attached = true;
    return () => {
      if (attached) this.consoles -= 1;
      attached = false;
    };
  }

  consoleCount(): number {
    return this.consoles;
  }
}
