import type { Spool } from './spool';

/** Ids looked up in the store per query. */
const BATCH = 500;

/** Message ids begin with their acceptance time in base 36 (see engine/ids.ts). */
const acceptedAtOf = (id: string) => Number.parseInt(id.slice(0, 9), 36);

/**
 * Removes spool files the store does not keep: a crash between the spool's fsync and the store's
 * commit (the client never got its 250, so the mail is not lost: it was never accepted), or
 * between retention's store update and its file removal. Files of mail accepted at or after
 * `before` (this run's own intake) are never touched. Returns how many files were removed.
 */
export async function reconcileSpool(
  spool: Spool,
  keptBodies: (ids: string[]) => Set<string>,
  before: number,
): Promise<number> {
  let removed = 0;
  for await (const ids of spool.messageIds()) {
    const older = ids.filter((id) => acceptedAtOf(id) < before);
    for (let i = 0; i < older.length; i += BATCH) {
      const batch = older.slice(i, i + BATCH);
      const kept = keptBodies(batch);
      for (const id of batch) {
        if (kept.has(id)) continue;
        await spool.remove(id);
        removed++;
      }
    }
  }
  return removed;
}
