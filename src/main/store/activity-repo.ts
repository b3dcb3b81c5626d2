import type { ActivityCategory, ActivityEntry } from '@shared/domain/activity';
import type { Db } from './db';

/** An entry to write: everything but the id the store gives it. */
export type NewActivityEntry = Omit<ActivityEntry, 'id'>;

interface Row {
  id: number;
  at: number;
  client_address: string;
  connection_id: string | null;
  connection_name: string | null;
  username: string | null;
  command: string;
  reply: string;
  category: ActivityCategory;
  rejected_mail: number;
}

const fromRow = (r: Row): ActivityEntry => ({
  id: r.id,
  at: r.at,
  clientAddress: r.client_address,
  connectionId: r.connection_id,
  connectionName: r.connection_name,
  username: r.username,
  command: r.command,
  reply: r.reply,
  category: r.category,
  rejectedMail: r.rejected_mail === 1,
});

export interface ActivityFilter {
  category?: ActivityCategory;
  connectionId?: string;
  clientAddress?: string;
  text?: string;
  rejectedMail?: boolean;
  from?: number;
  to?: number;
  /** Entries with a smaller id than this (the cursor). */
  before?: number;
  limit: number;
}

/** The activity log: refused SMTP commands and sessions, newest first, bounded in rows and age. */
export class ActivityRepo {
  constructor(private readonly db: Db) {}

  /**
   * Writes the entries in one transaction and drops the oldest beyond `maxEntries`. Ids are
   * never reused and only the oldest are ever removed, so the rows above newest − max are the
   * ones to keep: the cap costs one range delete, no count. Returns the entries with their ids.
   */
  append(entries: NewActivityEntry[], maxEntries: number): ActivityEntry[] {
    const insert = this.db.prepare(
      `INSERT INTO activity_log (at, client_address, connection_id, connection_name, username, command, reply, category, rejected_mail)
       VALUES (@at, @clientAddress, @connectionId, @connectionName, @username, @command, @reply, @category, @rejectedMail)`,
    );
    return this.db.transaction(() => {
      const written = entries.map((e) => ({
        ...e,
        id: Number(insert.run({ ...e, rejectedMail: e.rejectedMail ? 1 : 0 }).lastInsertRowid),
      }));
      const newest = written[written.length - 1]?.id;
      if (newest !== undefined && newest > maxEntries)
        this.db.prepare('DELETE FROM activity_log WHERE id <= ?').run(newest - maxEntries);
      return written;
    })();
  }

  /** Removes up to `limit` entries older than `before`; returns how many. */
  deleteOlderThan(before: number, limit: number): number {
    return this.db
      .prepare(
        'DELETE FROM activity_log WHERE id IN (SELECT id FROM activity_log WHERE at < ? ORDER BY at LIMIT ?)',
      )
      .run(before, limit).changes;
  }

  count(): number {
    return this.db.prepare('SELECT COUNT(*) FROM activity_log').pluck().get() as number;
  }

  search(f: ActivityFilter): ActivityEntry[] {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      where.push(sql);
      params.push(value);
    };
    if (f.category) add('category = ?', f.category);
    if (f.connectionId) add('connection_id = ?', f.connectionId);
    if (f.clientAddress) add('client_address = ?', f.clientAddress);
    if (f.rejectedMail !== undefined) add('rejected_mail = ?', f.rejectedMail ? 1 : 0);
    if (f.from !== undefined) add('at >= ?', f.from);
    if (f.to !== undefined) add('at < ?', f.to);
    if (f.before !== undefined) add('id < ?', f.before);
    if (f.text) {
      const like = `%${f.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(
        "(command LIKE ? ESCAPE '\\' OR reply LIKE ? ESCAPE '\\' OR username LIKE ? ESCAPE '\\' OR connection_name LIKE ? ESCAPE '\\')",
      );
      params.push(like, like, like, like);
    }
    return this.db
      .prepare<unknown[], Row>(
        `SELECT * FROM activity_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
      )
      .all(...params, f.limit)
      .map(fromRow);
  }
}
