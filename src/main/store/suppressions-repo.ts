import type { Suppression, SuppressionReason } from '@shared/domain/suppression';
import type { Db } from './db';

interface Row {
  address: string;
  reason: SuppressionReason;
  detail: string;
  message_id: string | null;
  created_at: number;
}

const fromRow = (r: Row): Suppression => ({
  address: r.address,
  reason: r.reason,
  detail: r.detail,
  messageId: r.message_id,
  createdAt: r.created_at,
});

/** The suppression list; addresses are kept lower-cased, as mailbox providers treat them. */
export class SuppressionsRepo {
  private readonly byAddress;

  constructor(private readonly db: Db) {
    this.byAddress = db.prepare<[string], Row>('SELECT * FROM suppressions WHERE address = ?');
  }

  find(address: string): Suppression | undefined {
    const row = this.byAddress.get(address.toLowerCase());
    return row && fromRow(row);
  }

  /** Adds an address; an existing entry is kept (its date says since when). Returns whether it was new. */
  add(s: Suppression): boolean {
    return (
      this.db
        .prepare(
          'INSERT OR IGNORE INTO suppressions (address, reason, detail, message_id, created_at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(s.address.toLowerCase(), s.reason, s.detail, s.messageId, s.createdAt).changes > 0
    );
  }

  remove(address: string): boolean {
    return (
      this.db.prepare('DELETE FROM suppressions WHERE address = ?').run(address.toLowerCase()).changes > 0
    );
  }

  search(f: {
    text?: string;
    reason?: SuppressionReason;
    limit: number;
    after?: { createdAt: number; address: string };
  }): Suppression[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.text) {
      where.push("address LIKE ? ESCAPE '\\'");
      params.push(`%${f.text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    if (f.reason) {
      where.push('reason = ?');
      params.push(f.reason);
    }
    if (f.after) {
      where.push('(created_at, address) < (?, ?)');
      params.push(f.after.createdAt, f.after.address);
    }
    return this.db
      .prepare<unknown[], Row>(
        `SELECT * FROM suppressions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, address DESC LIMIT ?`,
      )
      .all(...params, f.limit)
      .map(fromRow);
  }

  all(): Suppression[] {
    return this.db.prepare<[], Row>('SELECT * FROM suppressions ORDER BY address').all().map(fromRow);
  }

  count(): number {
    return this.db.prepare('SELECT COUNT(*) FROM suppressions').pluck().get() as number;
  }
}
