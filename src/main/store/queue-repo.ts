import type { DeliveryAttempt, RecipientStatus } from '@shared/domain/message';
import type { QueueEntry } from '@shared/domain/queue';
import type { Db } from './db';

/** A recipient claimed for delivery, with what delivery needs of its message. */
export interface ClaimedRecipient {
  id: number;
  messageId: string;
  address: string;
  domain: string;
  /** Attempts including this one. */
  attempts: number;
  acceptedAt: number;
  headerFrom: string;
  mailFrom: string;
  size: number;
  connectionId: string | null;
}

/** An attempt as stored: the recipient is the row it belongs to. */
export type AttemptRecord = Omit<DeliveryAttempt, 'recipient'>;

export interface Outcome {
  recipientId: number;
  messageId: string;
  address: string;
  status: RecipientStatus;
  /** For deferred: when to try again. */
  nextAttemptAt: number | null;
  lastReply: string;
  attempt: AttemptRecord | null;
  event: { type: string; detail: string };
  at: number;
}

export interface QueueFilter {
  domain?: string;
  status?: 'queued' | 'deferred' | 'sending';
  limit: number;
  after?: { nextAttemptAt: number; id: number };
}

const ACTIVE = "('queued', 'deferred')";

/** The delivery queue: due-work selection with leases, outcomes, pauses and operator controls. */
export class QueueRepo {
  constructor(private readonly db: Db) {}

  private pausedFilter(): { sql: string; params: string[] } {
    const paused = this.paused();
    if (paused.includes('*')) return { sql: ' AND 0', params: [] };
    if (paused.length === 0) return { sql: '', params: [] };
    return { sql: ` AND r.domain NOT IN (${paused.map(() => '?').join(',')})`, params: paused };
  }

  /**
   * Takes up to `limit` due recipients and marks them `sending` with a lease until
   * `now + leaseMs`, in one transaction, so no two workers deliver the same recipient.
   */
  claimDue(now: number, limit: number, leaseMs: number): ClaimedRecipient[] {
    const paused = this.pausedFilter();
    return this.db.transaction(() => {
      const rows = this.db
        .prepare<unknown[], ClaimedRecipient>(
          `SELECT r.id, r.message_id AS messageId, r.address, r.domain, r.attempts + 1 AS attempts,
                  m.accepted_at AS acceptedAt, m.header_from AS headerFrom, m.mail_from AS mailFrom, m.size,
                  m.connection_id AS connectionId
           FROM recipients r JOIN messages m ON m.id = r.message_id
           WHERE r.status IN ${ACTIVE} AND r.next_attempt_at <= ?${paused.sql}
           ORDER BY r.next_attempt_at, r.id LIMIT ?`,
        )
        .all(now, ...paused.params, limit);
      const mark = this.db.prepare(
        "UPDATE recipients SET status = 'sending', lease_until = ?, attempts = attempts + 1, updated_at = ? WHERE id = ?",
      );
      const event = this.db.prepare(
        "INSERT INTO events (at, type, message_id, recipient, connection_id, detail) SELECT ?, 'sending', id, ?, connection_id, ? FROM messages WHERE id = ?",
      );
      for (const r of rows) {
        mark.run(now + leaseMs, now, r.id);
        event.run(now, r.address, `attempt ${r.attempts}`, r.messageId);
      }
      return rows;
    })();
  }

  /** The earliest time a waiting recipient falls due (paused domains left out). */
  nextDueAt(): number | undefined {
    const paused = this.pausedFilter();
    const at = this.db
      .prepare(`SELECT MIN(r.next_attempt_at) FROM recipients r WHERE r.status IN ${ACTIVE}${paused.sql}`)
      .pluck()
      .get(...paused.params) as number | null;
    return at ?? undefined;
  }

  /** Records what happened to recipients: new status, the attempt, the event — in one transaction. */
  record(outcomes: Outcome[]): void {
    const update = this.db.prepare(
      'UPDATE recipients SET status = ?, next_attempt_at = ?, lease_until = NULL, last_reply = ?, updated_at = ? WHERE id = ?',
    );
    const attempt = this.db.prepare(
      `INSERT INTO attempts (recipient_id, message_id, at, route, host, ip, port, tls, reply_code, enhanced_status, reply, duration_ms, outcome)
       VALUES (@recipientId, @messageId, @at, @route, @host, @ip, @port, @tls, @replyCode, @enhancedStatus, @reply, @durationMs, @outcome)`,
    );
    const event = this.db.prepare(
      'INSERT INTO events (at, type, message_id, recipient, connection_id, detail) SELECT ?, ?, ?, ?, connection_id, ? FROM messages WHERE id = ?',
    );
    this.db.transaction(() => {
      for (const o of outcomes) {
        update.run(o.status, o.nextAttemptAt, o.lastReply, o.at, o.recipientId);
        if (o.attempt) attempt.run({ recipientId: o.recipientId, messageId: o.messageId, ...o.attempt });
        event.run(o.at, o.event.type, o.messageId, o.address, o.event.detail, o.messageId);
      }
    })();
  }

  /**
   * Puts recipients left `sending` back in the queue, due now: after a crash (their attempt's
   * outcome is unknown, so they are tried again: at least once) or at shutdown. Returns them.
   */
  releaseLeases(now: number, reason: string): { id: number; messageId: string; address: string }[] {
    return this.db.transaction(() => {
      const rows = this.db
        .prepare<[], { id: number; messageId: string; address: string }>(
          "SELECT id, message_id AS messageId, address FROM recipients WHERE status = 'sending'",
        )
        .all();
      this.record(
        rows.map((r) => ({
          recipientId: r.id,
          messageId: r.messageId,
          address: r.address,
          status: 'deferred',
          nextAttemptAt: now,
          lastReply: reason,
          attempt: null,
          event: { type: 'requeued', detail: reason },
          at: now,
        })),
      );
      return rows;
    })();
  }

  list(f: QueueFilter, lifetimeMs: number): QueueEntry[] {
    const where: string[] = [f.status ? 'r.status = ?' : "r.status IN ('queued', 'deferred', 'sending')"];
    const params: unknown[] = f.status ? [f.status] : [];
    if (f.domain) {
      where.push('r.domain = ?');
      params.push(f.domain);
    }
    if (f.after) {
      where.push('(COALESCE(r.next_attempt_at, 0), r.id) > (?, ?)');
      params.push(f.after.nextAttemptAt, f.after.id);
    }
    return this.db
      .prepare<unknown[], Omit<QueueEntry, 'expiresAt'>>(
        `SELECT r.id AS recipientId, r.message_id AS messageId, r.address, r.domain, r.status, r.attempts,
                r.next_attempt_at AS nextAttemptAt, r.last_reply AS lastReply, m.subject,
                m.connection_name AS connectionName, m.accepted_at AS acceptedAt
         FROM recipients r JOIN messages m ON m.id = r.message_id
         WHERE ${where.join(' AND ')}
         ORDER BY COALESCE(r.next_attempt_at, 0), r.id LIMIT ?`,
      )
      .all(...params, f.limit)
      .map((e) => ({ ...e, expiresAt: e.acceptedAt + lifetimeMs }));
  }

  counts(): { queued: number; deferred: number; sending: number } {
    const out = { queued: 0, deferred: 0, sending: 0 };
    for (const r of this.db
      .prepare<[], { status: keyof typeof out; n: number }>(
        "SELECT status, COUNT(*) AS n FROM recipients WHERE status IN ('queued', 'deferred', 'sending') GROUP BY status",
      )
      .all()) {
      out[r.status] = r.n;
    }
    return out;
  }

  paused(): string[] {
    return this.db
      .prepare('SELECT domain FROM paused_destinations ORDER BY domain')
      .pluck()
      .all() as string[];
  }

  pause(domain: string, now: number): void {
    this.db
      .prepare('INSERT OR IGNORE INTO paused_destinations (domain, paused_at) VALUES (?, ?)')
      .run(domain, now);
  }

  resume(domain: string): void {
    this.db.prepare('DELETE FROM paused_destinations WHERE domain = ?').run(domain);
  }

  /** An event with no status change (an auto-reply came back, say). */
  addEvent(messageId: string, recipient: string, type: string, detail: string, at: number): void {
    this.db
      .prepare(
        'INSERT INTO events (at, type, message_id, recipient, connection_id, detail) SELECT ?, ?, id, ?, connection_id, ? FROM messages WHERE id = ?',
      )
      .run(at, type, recipient, detail, messageId);
  }

  /** Recipients of a message in the given statuses. */
  recipientsOf(
    messageId: string,
    statuses: RecipientStatus[],
  ): { id: number; address: string; status: RecipientStatus }[] {
    return this.db
      .prepare<unknown[], { id: number; address: string; status: RecipientStatus }>(
        `SELECT id, address, status FROM recipients WHERE message_id = ? AND status IN (${statuses.map(() => '?').join(',')}) ORDER BY id`,
      )
      .all(messageId, ...statuses);
  }
}
