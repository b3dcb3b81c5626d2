import type { Db } from './db';

/** Recipients in these statuses still need the body: retention never touches their message. */
const WAITING = "('queued', 'deferred', 'sending')";

/** Finds and removes what the retention settings say is too old. Statistics are never touched. */
export class RetentionRepo {
  constructor(private readonly db: Db) {}

  /** Messages accepted before `before` whose body is still kept and no longer needed. */
  bodiesToPurge(before: number, limit: number): string[] {
    return this.db
      .prepare(
        `SELECT m.id FROM messages m WHERE m.accepted_at < ? AND m.body_purged = 0
           AND NOT EXISTS (SELECT 1 FROM recipients r WHERE r.message_id = m.id AND r.status IN ${WAITING})
         ORDER BY m.accepted_at LIMIT ?`,
      )
      .pluck()
      .all(before, limit) as string[];
  }

  /** Of these message ids, the ones whose body the store still keeps (a row, not purged). */
  keptBodies(ids: string[]): Set<string> {
    if (ids.length === 0) return new Set();
    return new Set(
      this.db
        .prepare(`SELECT id FROM messages WHERE body_purged = 0 AND id IN (${ids.map(() => '?').join(',')})`)
        .pluck()
        .all(...ids) as string[],
    );
  }

  /** Marks the bodies removed; a body kept in the store goes in the same transaction (a spool file after it). */
  markPurged(ids: string[]): void {
    const mark = this.db.prepare('UPDATE messages SET body_purged = 1 WHERE id = ?');
    const body = this.db.prepare('DELETE FROM message_bodies WHERE message_id = ?');
    this.db.transaction(() => {
      for (const id of ids) {
        mark.run(id);
        body.run(id);
      }
    })();
  }

  /** Messages accepted before `before` that nothing waits for; oldest first. */
  messagesToDelete(before: number, limit: number): { id: string; bodyPurged: boolean }[] {
    return this.db
      .prepare<[number, number], { id: string; body_purged: number }>(
        `SELECT m.id, m.body_purged FROM messages m WHERE m.accepted_at < ?
           AND NOT EXISTS (SELECT 1 FROM recipients r WHERE r.message_id = m.id AND r.status IN ${WAITING})
         ORDER BY m.accepted_at LIMIT ?`,
      )
      .all(before, limit)
      .map((r) => ({ id: r.id, bodyPurged: r.body_purged === 1 }));
  }

  /** Removes messages whole: events, bounces, then the message (recipients, attempts, search entry follow). */
  deleteMessages(ids: string[]): number {
    const events = this.db.prepare('DELETE FROM events WHERE message_id = ?');
    const bounces = this.db.prepare('DELETE FROM bounces WHERE message_id = ?');
    const message = this.db.prepare('DELETE FROM messages WHERE id = ?');
    let deleted = 0;
    this.db.transaction(() => {
      for (const id of ids) {
        events.run(id);
        bounces.run(id);
        deleted += message.run(id).changes;
      }
    })();
    return deleted;
  }

  /**
   * Rows older than `before` that belong to no message (intake rejections, reports that matched
   * nothing). Returns the ids of the bounce reports removed, whose raw files go too.
   */
  deleteUnattached(before: number): string[] {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM events WHERE message_id IS NULL AND at < ?').run(before);
      this.db.prepare('DELETE FROM bounces WHERE message_id IS NULL AND at < ?').run(before);
      const reports = this.db
        .prepare(
          'SELECT id FROM bounce_reports r WHERE received_at < ? AND NOT EXISTS (SELECT 1 FROM bounces b WHERE b.report_id = r.id)',
        )
        .pluck()
        .all(before) as string[];
      const remove = this.db.prepare('DELETE FROM bounce_reports WHERE id = ?');
      for (const id of reports) remove.run(id);
      return reports;
    })();
  }
}
