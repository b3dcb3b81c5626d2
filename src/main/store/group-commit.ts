import type { Db } from './db';
import { isStoreFailure } from './store-errors';

interface Waiting<T> {
  item: T;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit: writes asked for in the same turn of the event loop (several SMTP sessions
 * finishing their mails together) are committed in one transaction — one fsync for all — and
 * each caller's promise settles only when that transaction is on disk, so every 250 still waits
 * for its own mail's commit. Each item is written in a savepoint of its own: an error of one
 * item's content fails that item alone; a store failure (a full disk) fails the whole group.
 */
export class GroupCommit<T> {
  private waiting: Waiting<T>[] = [];

  /**
   * `prepare` runs first, outside the transaction, for the whole group (e.g. writing and fsyncing
   * the mails' files): an item it returns an error for is failed and left out of the transaction.
   */
  constructor(
    private readonly db: Db,
    private readonly write: (item: T) => void,
    private readonly prepare: (items: T[]) => unknown[] = () => [],
  ) {}

  commit(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.waiting.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const all = this.waiting.splice(0);
    let prepared: unknown[];
    try {
      prepared = this.prepare(all.map((w) => w.item));
    } catch (err) {
      for (const w of all) w.reject(err);
      return;
    }
    const group: Waiting<T>[] = [];
    for (const [i, w] of all.entries()) {
      if (prepared[i] === undefined) group.push(w);
      else w.reject(prepared[i]);
    }
    if (group.length === 0) return;
    let outcomes: unknown[];
    try {
      outcomes = this.db.transaction(() =>
        group.map(({ item }) => {
          try {
            this.db.transaction(() => this.write(item))();
            return undefined;
          } catch (err) {
            if (isStoreFailure(err)) throw err;
            return err ?? new Error('write failed');
          }
        }),
      )();
    } catch (err) {
      for (const w of group) w.reject(err);
      return;
    }
    for (const [i, w] of group.entries()) {
      if (outcomes[i] === undefined) w.resolve();
      else w.reject(outcomes[i]);
    }
  }
}
