import type { RelayProblem, RelayProblemArea } from '@shared/domain/status';
import { isFatalStoreError } from '../store/store-errors';
import type { Clock } from './clock';
import type { Logger } from './logger';

/** A problem is logged at most once a minute however often it recurs (a full disk fails every attempt). */
const LOG_EVERY_MS = 60_000;

interface Entry extends RelayProblem {
  loggedAt: number;
}

/**
 * What has gone wrong in the running relay and not yet recovered: a failed request handler, a
 * delivery or background job that threw, a full disk. Parts of the engine report here instead of
 * letting an error escape (one bad input never stops the process); `status.get` and the console
 * show the list, and a part clears its entry when it works again.
 */
export class Health {
  private readonly problems = new Map<string, Entry>();
  private readonly listeners = new Set<() => void>();
  private readonly fatalListeners = new Set<(error: unknown) => void>();
  private fatal: unknown;

  constructor(
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /**
   * Records a failure of `area` (kept under `key`, default the area) with the next step for the
   * user. Logs the first occurrence and then at most once a minute, with the count in between.
   */
  report(area: RelayProblemArea, error: unknown, nextStep: string, key: string = area): void {
    if (isFatalStoreError(error)) this.reportFatal(error);
    const now = this.clock.now();
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const existing = this.problems.get(key);
    const entry: Entry = existing
      ? { ...existing, message, lastAt: now, count: existing.count + 1, nextStep }
      : { key, area, message, nextStep, firstAt: now, lastAt: now, count: 1, loggedAt: 0 };
    if (code) entry.code = code;
    if (now - entry.loggedAt >= LOG_EVERY_MS) {
      this.log.error(`${area}-failed`, {
        key: key === area ? undefined : key,
        error: message,
        code,
        repeats: entry.count > 1 ? entry.count : undefined,
      });
      entry.loggedAt = now;
    }
    this.problems.set(key, entry);
    if (!existing) this.changed();
  }

  /** The part works again: its problem is gone (logged once). */
  clear(key: string): void {
    const entry = this.problems.get(key);
    if (!entry) return;
    this.problems.delete(key);
    this.log.info('recovered', {
      area: entry.area,
      key: key === entry.area ? undefined : key,
      failures: entry.count,
    });
    this.changed();
  }

  has(key: string): boolean {
    return this.problems.has(key);
  }

  list(): RelayProblem[] {
    return [...this.problems.values()].map(({ loggedAt: _l, ...p }) => p);
  }

  /**
   * A store error that waiting cannot cure (see store/store-errors.ts): the entry point stops the
   * relay, once, so nothing more is acknowledged that could not be recorded.
   */
  reportFatal(error: unknown): void {
    if (this.fatal !== undefined) return;
    this.fatal = error;
    for (const l of this.fatalListeners) {
      try {
        l(error);
      } catch {
        // Stopping is best effort; the first listener (the entry point) exits anyway.
      }
    }
  }

  onFatal(listener: (error: unknown) => void): () => void {
    this.fatalListeners.add(listener);
    if (this.fatal !== undefined) listener(this.fatal);
    return () => this.fatalListeners.delete(listener);
  }

  /** Called when a problem appears or clears (status.changed is pushed from it). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const l of this.listeners) {
      try {
        l();
      } catch {
        // A listener's failure must not turn a report into a crash.
      }
    }
  }
}

/**
 * Runs a background step so that a throw or rejection is reported instead of escaping the timer
 * that called it (an escaped error stops a headless process). Clears the problem on success.
 */
export function guarded(
  health: Health,
  area: RelayProblemArea,
  nextStep: string,
  step: () => void | Promise<void>,
): Promise<void> {
  try {
    return Promise.resolve(step()).then(
      () => health.clear(area),
      (err: unknown) => health.report(area, err, nextStep),
    );
  } catch (err) {
    health.report(area, err, nextStep);
    return Promise.resolve();
  }
}
