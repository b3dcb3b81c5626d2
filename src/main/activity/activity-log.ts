import type { ActivityCategory } from '@shared/domain/activity';
import type { SettingsService } from '../config/settings';
import type { Clock } from '../engine/clock';
import type { EngineEvents } from '../engine/events';
import type { Health } from '../engine/health';
import type { Logger } from '../engine/logger';
import type { NewActivityEntry } from '../store/activity-repo';
import { withoutFsync } from '../store/db';
import type { Store } from '../store/store';

/** A refusal as the intake saw it; the log adds the time and the connection's name. */
export interface Refusal {
  clientAddress: string;
  /** The logged-in connection, if any. */
  connectionId?: string;
  /** The username a failed login tried: the connection it names is looked up at write time. */
  username?: string;
  command: string;
  reply: string;
  category: ActivityCategory;
  rejectedMail: boolean;
}

export interface ActivityLogDeps {
  store: Store;
  settings: SettingsService;
  clock: Clock;
  events: EngineEvents;
  log: Logger;
  health: Health;
}

/** Entries waiting for their write; a flood beyond this is counted and logged, not kept. */
export const MAX_PENDING = 5_000;
/** Pending entries that start a write at once instead of at the next tick of the timer. */
const WRITE_AT = 500;
const WRITE_EVERY_MS = 250;
/** After a failed write, the next try. */
const RETRY_MS = 2_000;
/** Entries an `activity.recorded` event carries at most (the newest). */
const EVENT_ENTRIES = 50;

const NEXT_STEP =
  'Refused SMTP commands are not being written to the activity log (mail intake is unaffected); check free disk space and the log.';

/**
 * The activity log's writer. Recording is a push onto a bounded array: the intake never waits
 * for the store and never sees its errors. Entries are written in batches (one transaction,
 * without an fsync of their own) every 250 ms or at 500 waiting; beyond 5,000 waiting (a flood
 * faster than the store) further entries are dropped and counted, so memory stays bounded.
 */
export class ActivityLog {
  private pending: NewActivityEntry[] = [];
  private dropped = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;

  constructor(private readonly deps: ActivityLogDeps) {}

  record(refusal: Refusal): void {
    if (this.pending.length >= MAX_PENDING) {
      this.dropped += 1;
      return;
    }
    const { username, connectionId, ...rest } = refusal;
    this.pending.push({
      ...rest,
      at: this.deps.clock.now(),
      connectionId: connectionId ?? null,
      connectionName: null,
      username: username ?? null,
    });
    if (this.pending.length >= WRITE_AT) {
      this.immediate ??= setImmediate(() => this.write());
    } else if (!this.timer) {
      this.timer = setTimeout(() => this.write(), WRITE_EVERY_MS);
      this.timer.unref();
    }
  }

  /** Entries waiting for their write (for tests of the bound). */
  pendingCount(): number {
    return this.pending.length;
  }

  /** Writes what is waiting; at stop, so nothing recorded is lost. */
  write(): void {
    clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    const { store, settings, events, log, health } = this.deps;
    try {
      this.nameConnections(batch);
      const written = withoutFsync(store.db, () =>
        store.activity.append(batch, settings.get('activity.maxEntries')),
      );
      health.clear('activity');
      if (events.consoleCount() > 0)
        events.emit('activity.recorded', {
          entries: written.slice(-EVENT_ENTRIES).reverse(),
          count: written.length,
        });
    } catch (err) {
      // Health logs it (the first time, then once a minute with the count), with the entries kept.
      health.report('intake', err, NEXT_STEP, 'activity');
      this.retryLater(batch);
    }
    if (this.dropped > 0) {
      log.warn('activity-dropped', { entries: this.dropped, reason: 'flood' });
      this.dropped = 0;
    }
  }

  /**
   * A batch the store could not take (a full disk) waits for the next try, ahead of newer entries
   * and within the same bound; the try comes by itself, so the problem clears once space is back
   * even when nothing new is refused.
   */
  private retryLater(batch: NewActivityEntry[]): void {
    const kept = [...batch, ...this.pending];
    this.dropped += Math.max(0, kept.length - MAX_PENDING);
    this.pending = kept.slice(0, MAX_PENDING);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.write(), RETRY_MS);
    this.timer.unref();
  }

  /** The connection of each entry by id, or by the username a failed login tried; its name as of now. */
  private nameConnections(batch: NewActivityEntry[]): void {
    const { connections } = this.deps.store;
    const byId = new Map<string, string | null>();
    const byUsername = new Map<string, { id: string; name: string } | null>();
    for (const entry of batch) {
      if (!entry.connectionId && entry.username) {
        let found = byUsername.get(entry.username);
        if (found === undefined) {
          const c = connections.findByUsername(entry.username);
          found = c ? { id: c.id, name: c.name } : null;
          byUsername.set(entry.username, found);
        }
        if (found) entry.connectionId = found.id;
      }
      if (!entry.connectionId) continue;
      let name = byId.get(entry.connectionId);
      if (name === undefined) {
        name = connections.get(entry.connectionId)?.name ?? null;
        byId.set(entry.connectionId, name);
      }
      entry.connectionName = name;
    }
  }
}
