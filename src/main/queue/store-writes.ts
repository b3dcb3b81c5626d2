import type { Health } from '../engine/health';

/** First wait after a failed store write; doubled per failure up to MAX_BACKOFF_MS. */
const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
const KEY = 'delivery:store';
const NEXT_STEP =
  'Free disk space in the data folder (or fix what stops Relaydesk writing its store); delivery pauses and resumes by itself.';

/**
 * The delivery engine's writes to the store when the store may fail (a full disk, an I/O error).
 * A write that fails is kept, in order, and retried before anything new is claimed, so the
 * outcome of a mail that was sent is written before that mail could ever be sent again.
 * Meanwhile delivery backs off (1 s doubling to 30 s) instead of retrying in a loop, and the
 * problem is reported once a minute (Health), then cleared when writes work again.
 */
export class StoreWrites {
  private readonly unwritten: (() => void)[] = [];
  private backoffMs = 0;

  constructor(private readonly health: Health) {}

  /** True while writes fail or wait to be retried: take no new work. */
  get failing(): boolean {
    return this.backoffMs > 0 || this.unwritten.length > 0;
  }

  /** How long to wait before the next try. */
  get retryInMs(): number {
    return this.backoffMs;
  }

  /** Writes now, or keeps the write to retry when it fails. Returns whether it was written. */
  write(step: () => void): boolean {
    if (this.unwritten.length > 0) {
      this.unwritten.push(step);
      return false;
    }
    try {
      step();
      return true;
    } catch (err) {
      this.unwritten.push(step);
      this.failed(err);
      return false;
    }
  }

  /** A read-write step whose failure needs no retry (a claim): undefined when it failed. */
  attempt<T>(step: () => T): T | undefined {
    try {
      const value = step();
      this.succeeded();
      return value;
    } catch (err) {
      this.failed(err);
      return undefined;
    }
  }

  /** Retries the kept writes in order; true when none is left. */
  flush(): boolean {
    while (this.unwritten.length > 0) {
      const step = this.unwritten[0] as () => void;
      try {
        step();
      } catch (err) {
        this.failed(err);
        return false;
      }
      this.unwritten.shift();
    }
    this.succeeded();
    return true;
  }

  /** Writes still waiting (for stop: whatever is left is logged). */
  get pending(): number {
    return this.unwritten.length;
  }

  private failed(err: unknown): void {
    this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs > 0 ? this.backoffMs * 2 : FIRST_BACKOFF_MS);
    this.health.report('delivery', err, NEXT_STEP, KEY);
  }

  private succeeded(): void {
    if (this.unwritten.length > 0) return;
    this.backoffMs = 0;
    this.health.clear(KEY);
  }
}
