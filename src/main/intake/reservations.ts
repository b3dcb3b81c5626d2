import type { Clock } from '../engine/clock';

/**
 * Places under an hourly limit held by mails that have passed MAIL FROM but are not stored
 * yet. A limit check is "stored in the window + held < limit", and a session that passes it
 * takes its place in the same synchronous step, so parallel sessions cannot all pass one
 * check. A place is given back when the mail is stored (the stored row counts from then on)
 * or when its transaction ends any other way.
 */
export interface Reservation {
  /** Gives the places back; later calls do nothing. */
  release(): void;
}

/**
 * A place older than the window is not counted: the limits are per hour, and sessions are
 * bounded by the command and DATA timeouts, so a place that old can only be a leak.
 */
const WINDOW_MS = 3_600_000;

export class Reservations {
  /** Key (e.g. `connection:<id>`, `live`) → when each held place was taken, by place number. */
  private readonly byKey = new Map<string, Map<number, number>>();
  private next = 0;

  constructor(private readonly clock: Clock) {}

  /** Places held under `key` now. */
  held(key: string): number {
    const places = this.byKey.get(key);
    if (!places) return 0;
    const since = this.clock.now() - WINDOW_MS;
    for (const [n, at] of places) if (at <= since) places.delete(n);
    if (places.size === 0) this.byKey.delete(key);
    return places.size;
  }

  /** Takes one place under each key; synchronous, so no other session runs between a check and this. */
  take(keys: readonly string[]): Reservation {
    const n = this.next++;
    const at = this.clock.now();
    for (const key of keys) {
      let places = this.byKey.get(key);
      if (!places) {
        places = new Map();
        this.byKey.set(key, places);
      }
      places.set(n, at);
    }
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        for (const key of keys) {
          const places = this.byKey.get(key);
          places?.delete(n);
          if (places?.size === 0) this.byKey.delete(key);
        }
      },
    };
  }
}

/** The places a session holds for its current transaction, by session id. */
export class SessionReservations {
  private readonly bySession = new Map<string, Reservation>();

  hold(sessionId: string, reservation: Reservation): void {
    this.release(sessionId);
    this.bySession.set(sessionId, reservation);
  }

  /**
   * Hands the session's places to the code that stores its mail, which releases them once the
   * mail is stored or refused; closing the connection meanwhile no longer gives them back early.
   */
  detach(sessionId: string): Reservation | undefined {
    const reservation = this.bySession.get(sessionId);
    this.bySession.delete(sessionId);
    return reservation;
  }

  /** The transaction ended (refused, reset, or the connection closed). */
  release(sessionId: string): void {
    this.bySession.get(sessionId)?.release();
    this.bySession.delete(sessionId);
  }

  get size(): number {
    return this.bySession.size;
  }
}

export const connectionKey = (connectionId: string) => `connection:${connectionId}`;
/** Mail of live connections, which the demo hourly limit counts. */
export const LIVE_KEY = 'live';
