import type { QuotaBlock } from '@shared/domain/quota';
import type { Db } from './db';

interface BlockRow {
  id: string;
  kind: 'demo' | 'block';
  size: number;
  used: number;
  price_micros: number;
  booked_at: number;
  valid_from: number;
  valid_until: number | null;
  auto_renew: number;
  renewed_from: string | null;
  state: 'active' | 'expired';
  expired: number;
}

const blockFrom = (r: BlockRow): QuotaBlock & { renewedFrom: string | null } => ({
  id: r.id,
  kind: r.kind,
  size: r.size,
  used: r.used,
  priceMicros: r.price_micros,
  bookedAt: r.booked_at,
  validFrom: r.valid_from,
  validUntil: r.valid_until,
  autoRenew: r.auto_renew === 1,
  state: r.state,
  expired: r.expired,
  renewedFrom: r.renewed_from,
});

export type StoredBlock = ReturnType<typeof blockFrom>;

export interface LedgerEntry {
  at: number;
  kind: 'grant' | 'booking' | 'usage' | 'overage' | 'expiry';
  amount: number;
  blockId: string | null;
  recipientId: number | null;
  connectionId: string | null;
  priceMicros: number;
  note: string;
}

/** Blocks and the append-only quota ledger. */
export class QuotaRepo {
  constructor(private readonly db: Db) {}

  /** A charge that follows from a committed outcome; booked later by the ledger (idempotent by recipient). */
  enqueueCharge(recipientId: number, connectionId: string, at: number): void {
    this.db
      .prepare('INSERT OR IGNORE INTO charge_outbox (recipient_id, connection_id, at) VALUES (?, ?, ?)')
      .run(recipientId, connectionId, at);
  }

  pendingCharges(limit: number): { recipientId: number; connectionId: string; at: number }[] {
    return this.db
      .prepare<[number], { recipientId: number; connectionId: string; at: number }>(
        'SELECT recipient_id AS recipientId, connection_id AS connectionId, at FROM charge_outbox ORDER BY at LIMIT ?',
      )
      .all(limit);
  }

  removePendingCharges(recipientIds: number[]): void {
    const remove = this.db.prepare('DELETE FROM charge_outbox WHERE recipient_id = ?');
    for (const id of recipientIds) remove.run(id);
  }

  blocks(): StoredBlock[] {
    return this.db
      .prepare<[], BlockRow>('SELECT * FROM quota_blocks ORDER BY valid_from, id')
      .all()
      .map(blockFrom);
  }

  block(id: string): StoredBlock | undefined {
    const row = this.db.prepare<[string], BlockRow>('SELECT * FROM quota_blocks WHERE id = ?').get(id);
    return row && blockFrom(row);
  }

  /** Active grants in the order they are used up: the one that expires first first, the demo last. */
  activeInUseOrder(): StoredBlock[] {
    return this.db
      .prepare<[], BlockRow>(
        "SELECT * FROM quota_blocks WHERE state = 'active' ORDER BY valid_until IS NULL, valid_until, valid_from, id",
      )
      .all()
      .map(blockFrom);
  }

  insertBlock(b: StoredBlock): void {
    this.db
      .prepare(
        `INSERT INTO quota_blocks (id, kind, size, used, price_micros, booked_at, valid_from, valid_until, auto_renew, renewed_from, state, expired)
         VALUES (@id, @kind, @size, @used, @priceMicros, @bookedAt, @validFrom, @validUntil, @autoRenew, @renewedFrom, @state, @expired)`,
      )
      .run({ ...b, autoRenew: b.autoRenew ? 1 : 0 });
  }

  addUse(blockId: string, n: number): void {
    this.db.prepare('UPDATE quota_blocks SET used = used + ? WHERE id = ?').run(n, blockId);
  }

  expire(blockId: string, rest: number): void {
    this.db.prepare("UPDATE quota_blocks SET state = 'expired', expired = ? WHERE id = ?").run(rest, blockId);
  }

  setAutoRenew(blockId: string, autoRenew: boolean): void {
    this.db.prepare('UPDATE quota_blocks SET auto_renew = ? WHERE id = ?').run(autoRenew ? 1 : 0, blockId);
  }

  /** Returns false when this recipient was already charged (a retry, a restart). */
  addEntry(e: LedgerEntry): boolean {
    return (
      this.db
        .prepare(
          `INSERT OR IGNORE INTO quota_ledger (at, kind, amount, block_id, recipient_id, connection_id, price_micros, note)
           VALUES (@at, @kind, @amount, @blockId, @recipientId, @connectionId, @priceMicros, @note)`,
        )
        .run(e).changes > 0
    );
  }

  firstGrantAt(): number | undefined {
    return this.db.prepare("SELECT MIN(at) FROM quota_ledger WHERE kind = 'grant'").pluck().get() as
      | number
      | undefined;
  }

  /** Overage charged in the billing period starting at `periodStart` (kept per period by a trigger, migration 0010). */
  overageInPeriod(periodStart: number): number {
    return (
      (this.db.prepare('SELECT n FROM quota_overage WHERE period_start = ?').pluck().get(periodStart) as
        | number
        | undefined) ?? 0
    );
  }

  /** The active block that ended by `now` and is not settled yet, the earliest first. */
  dueBlock(now: number): StoredBlock | undefined {
    const row = this.db
      .prepare<[number], BlockRow>(
        "SELECT * FROM quota_blocks WHERE state = 'active' AND valid_until IS NOT NULL AND valid_until <= ? ORDER BY valid_until, id LIMIT 1",
      )
      .get(now);
    return row && blockFrom(row);
  }

  /** Sums per kind over a time range (for statements). */
  totalsBetween(
    from: number,
    to: number,
  ): { kind: LedgerEntry['kind']; count: number; amount: number; micros: number }[] {
    return this.db
      .prepare<
        [number, number],
        { kind: LedgerEntry['kind']; count: number; amount: number; micros: number }
      >(
        `SELECT kind, COUNT(*) AS count, SUM(amount) AS amount, SUM(price_micros) AS micros
         FROM quota_ledger WHERE at >= ? AND at < ? GROUP BY kind`,
      )
      .all(from, to);
  }

  usageByConnection(
    from: number,
    to: number,
  ): { connectionId: string | null; name: string | null; used: number; overage: number }[] {
    return this.db
      .prepare<
        [number, number],
        { connectionId: string | null; name: string | null; used: number; overage: number }
      >(
        `SELECT l.connection_id AS connectionId, c.name AS name,
                SUM(l.kind = 'usage') AS used, SUM(l.kind = 'overage') AS overage
         FROM quota_ledger l LEFT JOIN connections c ON c.id = l.connection_id
         WHERE l.kind IN ('usage', 'overage') AND l.at >= ? AND l.at < ?
         GROUP BY l.connection_id ORDER BY used + overage DESC`,
      )
      .all(from, to);
  }

  /** Charges per quarter hour in [from, to), oldest first (kept by a trigger, migration 0010). */
  usageBetween(from: number, to: number): { bucket: number; used: number; overage: number }[] {
    return this.db
      .prepare<[number, number], { bucket: number; used: number; overage: number }>(
        'SELECT bucket, used, overage FROM quota_usage WHERE bucket >= ? AND bucket < ? ORDER BY bucket',
      )
      .all(from, to);
  }

  state(key: string): string | undefined {
    return this.db.prepare('SELECT value FROM engine_state WHERE key = ?').pluck().get(key) as
      | string
      | undefined;
  }

  setState(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO engine_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }
}
