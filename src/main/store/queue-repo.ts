import type { DeliveryAttempt, RecipientStatus } from '@shared/domain/message';
import type { QueueEntry } from '@shared/domain/queue';
import { LIFECYCLE, type LifecycleEvent } from '@shared/domain/recipient-lifecycle';
import type { Statement } from 'better-sqlite3';
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
  /** The lease this claim holds: only its holder may write the outcome. */
  leaseId: number;
}

/** An attempt as stored: the recipient is the row it belongs to. */
export type AttemptRecord = Omit<DeliveryAttempt, 'recipient'>;

/** What a delivery attempt ended in, for one recipient. */
export interface Outcome {
  recipientId: number;
  messageId: string;
  address: string;
  status: 'delivered' | 'deferred' | 'bounced' | 'expired';
  /** For deferred: when to try again. */
  nextAttemptAt: number | null;
  lastReply: string;
  attempt: AttemptRecord | null;
  detail: string;
  at: number;
  /** The lease the writer holds; undefined writes regardless of lease (tools, the bench generator). */
  leaseId?: number;
}

/** A status change asked for one recipient (see shared/domain/recipient-lifecycle.ts). */
export interface Change {
  recipientId: number;
  messageId: string;
  address: string;
  at: number;
  /** The event row's detail. */
  detail: string;
  /** undefined keeps the row's next_attempt_at. */
  nextAttemptAt?: number | null;
  /** undefined keeps the row's last reply. */
  lastReply?: string;
  /** A new lease (claim), or none (every other transition clears the lease). */
  lease?: { id: number; until: number };
  /** Only when the row still has this lease (a worker's outcome). */
  heldLease?: number;
  /** The change is the end of an attempt: counts it. */
  countsAttempt?: boolean;
  attempt?: AttemptRecord | null;
}

/** A change the lifecycle did not allow: the recipient had moved on (or the lease was taken over). */
export interface Refusal {
  change: Change;
  event: LifecycleEvent;
  status: RecipientStatus | undefined;
}

export interface Applied {
  applied: Change[];
  refused: Refusal[];
}

export interface QueueFilter {
  domain?: string;
  status?: 'queued' | 'deferred' | 'sending';
  limit: number;
  after?: { nextAttemptAt: number; id: number };
}

/** The same text as the partial index recipients_waiting (migration 0009), so SQLite can use it. */
const WAITING = "status IN ('queued', 'deferred')";

const OUTCOME_EVENT: Record<Outcome['status'], LifecycleEvent> = {
  delivered: 'delivered',
  deferred: 'deferred',
  bounced: 'bounced',
  expired: 'expired',
};

/**
 * The delivery queue. Every status write goes through `transition`: a conditional update naming
 * the lifecycle's allowed from-states (and, for a worker's outcome, its lease), so no writer can
 * overwrite another; what was refused comes back to the caller, which logs it.
 */
export class QueueRepo {
  private readonly updates = new Map<LifecycleEvent, Statement>();
  private readonly insertAttempt: Statement;
  private readonly insertEvent: Statement;
  private readonly statusOf: Statement<[number], RecipientStatus>;

  constructor(private readonly db: Db) {
    this.insertAttempt = db.prepare(
      `INSERT INTO attempts (recipient_id, message_id, at, route, host, ip, port, tls, reply_code, enhanced_status, reply, duration_ms, outcome)
       VALUES (@recipientId, @messageId, @at, @route, @host, @ip, @port, @tls, @replyCode, @enhancedStatus, @reply, @durationMs, @outcome)`,
    );
    this.insertEvent = db.prepare(
      'INSERT INTO events (at, type, message_id, recipient, connection_id, detail) SELECT ?, ?, id, ?, connection_id, ? FROM messages WHERE id = ?',
    );
    this.statusOf = db
      .prepare<[number], RecipientStatus>('SELECT status FROM recipients WHERE id = ?')
      .pluck();
  }

  private update(event: LifecycleEvent): Statement {
    let statement = this.updates.get(event);
    if (!statement) {
      const { from } = LIFECYCLE[event];
      statement = this.db.prepare(
        `UPDATE recipients SET status = @to, updated_at = @at,
           next_attempt_at = CASE WHEN @keepNext THEN next_attempt_at ELSE @next END,
           last_reply = COALESCE(@lastReply, last_reply),
           lease_until = @leaseUntil, lease_id = @leaseId,
           attempts = attempts + @counted
         WHERE id = @id AND status IN (${from.map((f) => `'${f}'`).join(', ')})
           AND (@heldLease IS NULL OR lease_id = @heldLease)`,
      );
      this.updates.set(event, statement);
    }
    return statement;
  }

  /**
   * Applies `event` to each recipient where the lifecycle allows it, with its event row (and
   * attempt row), in one transaction. Attempt rows are facts and are kept even for a refused
   * change (the server did answer); events only for applied ones.
   */
  transition(event: LifecycleEvent, changes: Change[]): Applied {
    const { to, event: type } = LIFECYCLE[event];
    const update = this.update(event);
    return this.db.transaction(() => {
      const out: Applied = { applied: [], refused: [] };
      for (const c of changes) {
        const { changes: n } = update.run({
          to,
          at: c.at,
          keepNext: c.nextAttemptAt === undefined ? 1 : 0,
          next: c.nextAttemptAt ?? null,
          lastReply: c.lastReply ?? null,
          leaseUntil: c.lease?.until ?? null,
          leaseId: c.lease?.id ?? null,
          counted: c.countsAttempt ? 1 : 0,
          id: c.recipientId,
          heldLease: c.heldLease ?? null,
        });
        if (c.attempt)
          this.insertAttempt.run({ recipientId: c.recipientId, messageId: c.messageId, ...c.attempt });
        if (n === 0) {
          out.refused.push({ change: c, event, status: this.statusOf.get(c.recipientId) });
          continue;
        }
        this.insertEvent.run(c.at, type, c.address, c.detail, c.messageId);
        out.applied.push(c);
      }
      return out;
    })();
  }

  /**
   * Takes up to `limit` due recipients of one destination lane (recipient domain) under the lease
   * `lease`, oldest due first. A recipient whose address is on the suppression list by now is
   * not taken: it becomes `suppressed`. Returns what was claimed.
   */
  claimLane(
    domain: string,
    now: number,
    limit: number,
    lease: { id: number; until: number },
  ): { claimed: ClaimedRecipient[]; suppressed: Change[] } {
    return this.db.transaction(() => {
      const rows = this.db
        .prepare<unknown[], Omit<ClaimedRecipient, 'leaseId'> & { suppressed: number }>(
          `SELECT r.id, r.message_id AS messageId, r.address, r.domain, r.attempts + 1 AS attempts,
                  m.accepted_at AS acceptedAt, m.header_from AS headerFrom, m.mail_from AS mailFrom, m.size,
                  m.connection_id AS connectionId,
                  EXISTS (SELECT 1 FROM suppressions s WHERE s.address = lower(r.address)) AS suppressed
           FROM recipients r JOIN messages m ON m.id = r.message_id
           WHERE r.domain = ? AND r.${WAITING} AND r.next_attempt_at <= ?
           ORDER BY r.next_attempt_at, r.id LIMIT ?`,
        )
        .all(domain, now, limit);
      const change = (r: (typeof rows)[number], detail: string): Change => ({
        recipientId: r.id,
        messageId: r.messageId,
        address: r.address,
        at: now,
        detail,
      });
      const suppressed = this.transition(
        'suppressed',
        rows
          .filter((r) => r.suppressed)
          .map((r) => ({
            ...change(r, 'not sent: the address is on the suppression list'),
            nextAttemptAt: null,
            lastReply: 'Not sent: the address is on the suppression list',
          })),
      ).applied;
      const taken = new Set(
        this.transition(
          'claim',
          rows.filter((r) => !r.suppressed).map((r) => ({ ...change(r, `attempt ${r.attempts}`), lease })),
        ).applied.map((c) => c.recipientId),
      );
      const claimed = rows
        .filter((r) => taken.has(r.id))
        .map(({ suppressed: _s, ...r }) => ({ ...r, leaseId: lease.id }));
      return { claimed, suppressed };
    })();
  }

  /** Due time of the earliest waiting recipient per domain (paused or not): the lanes with work. */
  dueByDomain(): Map<string, number> {
    const rows = this.db
      .prepare<[], { domain: string; due: number }>(
        `SELECT domain, MIN(next_attempt_at) AS due FROM recipients WHERE ${WAITING} GROUP BY domain`,
      )
      .all();
    return new Map(rows.map((r) => [r.domain, r.due]));
  }

  /** Earliest due time of one domain's waiting recipients, or undefined when none waits. */
  dueOf(domain: string): number | undefined {
    const due = this.db
      .prepare(`SELECT MIN(next_attempt_at) FROM recipients WHERE domain = ? AND ${WAITING}`)
      .pluck()
      .get(domain) as number | null;
    return due ?? undefined;
  }

  /** Writes what delivery attempts ended in; an outcome for a lease taken over is refused. */
  record(outcomes: Outcome[]): Applied {
    const applied: Applied = { applied: [], refused: [] };
    const byEvent = new Map<LifecycleEvent, Change[]>();
    for (const o of outcomes) {
      const event = OUTCOME_EVENT[o.status];
      const list = byEvent.get(event) ?? [];
      list.push({
        recipientId: o.recipientId,
        messageId: o.messageId,
        address: o.address,
        at: o.at,
        detail: o.detail,
        nextAttemptAt: o.nextAttemptAt,
        lastReply: o.lastReply,
        countsAttempt: true,
        attempt: o.attempt,
        ...(o.leaseId !== undefined ? { heldLease: o.leaseId } : {}),
      });
      byEvent.set(event, list);
    }
    this.db.transaction(() => {
      for (const [event, changes] of byEvent) {
        const r = this.transition(event, changes);
        applied.applied.push(...r.applied);
        applied.refused.push(...r.refused);
      }
    })();
    return applied;
  }

  /**
   * Puts recipients left `sending` back in the queue, due now: after a crash (their attempt's
   * outcome is unknown, so they are tried again: at least once), at shutdown (`requeued`), or when
   * their lease ran out while no worker here holds them (`leaseExpired`). `except` are recipients
   * a worker of this process still holds.
   */
  releaseLeases(
    now: number,
    reason: string,
    options: { event?: 'requeued' | 'leaseExpired'; expiredBy?: number; except?: ReadonlySet<number> } = {},
  ): Change[] {
    const rows = this.db
      .prepare<unknown[], { id: number; messageId: string; address: string }>(
        options.expiredBy === undefined
          ? "SELECT id, message_id AS messageId, address FROM recipients WHERE status = 'sending'"
          : "SELECT id, message_id AS messageId, address FROM recipients WHERE status = 'sending' AND lease_until <= ?",
      )
      .all(...(options.expiredBy === undefined ? [] : [options.expiredBy]))
      .filter((r) => !options.except?.has(r.id));
    return this.transition(
      options.event ?? 'requeued',
      rows.map((r) => ({
        recipientId: r.id,
        messageId: r.messageId,
        address: r.address,
        at: now,
        detail: reason,
        nextAttemptAt: now,
        lastReply: reason,
      })),
    ).applied;
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

  /**
   * A recipient added to a message by the operator (a capture released to an address they typed):
   * queued and due now, with its event row, in one transaction. Returns its id.
   */
  addRecipient(messageId: string, address: string, at: number, detail: string): number {
    return this.db.transaction(() => {
      const { lastInsertRowid } = this.db
        .prepare(
          `INSERT INTO recipients (message_id, address, domain, status, updated_at, next_attempt_at)
           VALUES (?, ?, ?, 'queued', ?, ?)`,
        )
        .run(messageId, address, address.slice(address.lastIndexOf('@') + 1).toLowerCase(), at, at);
      this.insertEvent.run(at, LIFECYCLE.release.event, address, detail, messageId);
      return Number(lastInsertRowid);
    })();
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
