import type { Db } from './db';

/** Signed mails kept in the store (migration 0011); see Spool for which mails. */
export class BodiesRepo {
  constructor(private readonly db: Db) {}

  put(messageId: string, content: Buffer): void {
    this.db.prepare('INSERT INTO message_bodies (message_id, content) VALUES (?, ?)').run(messageId, content);
  }

  get(messageId: string): Buffer | undefined {
    return this.db
      .prepare('SELECT content FROM message_bodies WHERE message_id = ?')
      .pluck()
      .get(messageId) as Buffer | undefined;
  }

  /** The first `maxBytes` and the whole size, without reading the rest. */
  head(messageId: string, maxBytes: number): { data: Buffer; size: number } | undefined {
    const row = this.db
      .prepare<[number, string], { data: Buffer; size: number }>(
        'SELECT substr(content, 1, ?) AS data, length(content) AS size FROM message_bodies WHERE message_id = ?',
      )
      .get(maxBytes, messageId);
    return row;
  }

  remove(messageId: string): void {
    this.db.prepare('DELETE FROM message_bodies WHERE message_id = ?').run(messageId);
  }
}
