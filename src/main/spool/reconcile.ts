import type { Spool } from './spool';

/** Ids looked up in the store per query. */
const BATCH = 500;

/** Message ids begin with their acceptance time in base 36 (9 digits, see engine/ids.ts). */
const messageTime = (id: string) => Number.parseInt(id.slice(0, 9), 36);
/** Report ids are `r` + the receipt time in base 36 + 8 hex digits (see bounces/listener.ts). */
const reportTime = (id: string) => Number.parseInt(id.slice(1, -8), 36);

/** What the store keeps, asked in batches. */
export interface StoreIndex {
  /** Message ids whose body the store still keeps (a row, not purged). */
  keptBodies(ids: string[]): Set<string>;
  /** Report ids the store has a row for. */
  knownReports(ids: string[]): Set<string>;
}

export interface Reconciled {
  messages: number;
  reports: number;
}

/**
 * Removes spool files the store does not keep: a crash between the spool's fsync and the store's
 * commit (the client never got its 250, so the mail is not lost: it was never accepted), or
 * between retention's store update and its file removal; likewise bounce reports kept on disk
 * whose row was never written. Files received at or after `before` (this run's own) are never
 * touched. Returns how many files were removed.
 */
export async function reconcileSpool(spool: Spool, store: StoreIndex, before: number): Promise<Reconciled> {
  const removeUnknown = async (
    ids: string[],
    time: (id: string) => number,
    known: (ids: string[]) => Set<string>,
    remove: (id: string) => Promise<void>,
  ) => {
    const older = ids.filter((id) => time(id) < before);
    let removed = 0;
    for (let i = 0; i < older.length; i += BATCH) {
      const batch = older.slice(i, i + BATCH);
      const kept = known(batch);
      for (const id of batch) {
        if (kept.has(id)) continue;
        await remove(id);
        removed++;
      }
    }
    return removed;
  };
  const out: Reconciled = { messages: 0, reports: 0 };
  for await (const ids of spool.messageIds()) {
    out.messages += await removeUnknown(
      ids,
      messageTime,
      (b) => store.keptBodies(b),
      (id) => spool.remove(id),
    );
  }
  out.reports = await removeUnknown(
    await spool.reportIds(),
    reportTime,
    (b) => store.knownReports(b),
    (id) => spool.removeReport(id),
  );
  return out;
}
