import type { Db } from './db';

/** What the store keeps of a message's signed mail (migration 0011). */
export interface KeptMail {
  /** The whole mail, or with `bodyFile` its signed header section. */
  content: Buffer;
  /** The body is a spool file (`<prefix>/<id>.body`). */
  bodyFile: boolean;
}

/** Signed mails kept in the store; see Spool for which and how. */
export class BodiesRepo {
  constructor(private readonly db: Db) {}

  put(messageId: string, content: Buffer, bodyFile = false): void {
    this.db
      .prepare('INSERT INTO message_bodies (message_id, content, body_file) VALUES (?, ?, ?)')
      .run(messageId, content, bodyFile ? 1 : 0);
  }

  /** Rewrites what the store keeps of a mail (a capture signed at its release). */
  replace(messageId: string, content: Buffer): void {
    this.db.prepare('UPDATE message_bodies SET content = ? WHERE message_id = ?').run(content, messageId);
  }

  get(messageId: string): KeptMail | undefined {
    const row = this.db
      .prepare<[string], { content: Buffer; body_file: number }>(
        'SELECT content, body_file FROM message_bodies WHERE message_id = ?',
      )
      .get(messageId);
    return row && { content: row.content, bodyFile: row.body_file === 1 };
  }

  remove(messageId: string): void {
    this.db.prepare('DELETE FROM message_bodies WHERE message_id = ?').run(messageId);
  }
}
