import type { WebhookAttempt, WebhookEndpoint, WebhookEventType } from '@shared/domain/webhook';
import type { Db } from './db';

/** An endpoint as stored: the view plus its sealed secret. */
export interface WebhookEndpointRecord {
  id: string;
  connectionId: string;
  url: string;
  enabled: boolean;
  eventTypes: WebhookEventType[];
  /** Sealed (config/secret-box.ts). */
  secret: string;
  createdAt: number;
  secretRotatedAt: number;
}

/** An event waiting in the outbox for one endpoint. */
export interface OutboxEntry {
  id: number;
  eventId: string;
  endpointId: string;
  type: WebhookEventType;
  occurredAt: number;
  messageId: string | null;
  recipientId: number | null;
  recipient: string;
  reply: string;
  attempts: number;
  payload: string | null;
  tries: number;
}

interface EndpointRow {
  id: string;
  connection_id: string;
  url: string;
  enabled: number;
  event_types: string;
  secret: string;
  created_at: number;
  secret_rotated_at: number;
}

const fromRow = (r: EndpointRow): WebhookEndpointRecord => ({
  id: r.id,
  connectionId: r.connection_id,
  url: r.url,
  enabled: r.enabled === 1,
  eventTypes: r.event_types.split(',').filter(Boolean) as WebhookEventType[],
  secret: r.secret,
  createdAt: r.created_at,
  secretRotatedAt: r.secret_rotated_at,
});

/** ',delivered,bounced,': the form the outbox trigger matches with instr(). */
const typesColumn = (types: readonly WebhookEventType[]) => `,${types.join(',')},`;

const ATTEMPT_COLUMNS = `id, endpoint_id AS endpointId, event_id AS eventId, type, at, status_code AS statusCode,
  error, duration_ms AS durationMs, outcome`;

const OUTBOX_COLUMNS = `o.id, o.event_id AS eventId, o.endpoint_id AS endpointId, o.type, o.occurred_at AS occurredAt,
  o.message_id AS messageId, o.recipient_id AS recipientId, o.recipient, o.reply, o.attempts, o.payload, o.tries`;

/** Webhook endpoints, their outbox (filled by the trigger of migration 0013) and delivery history. */
export class WebhooksRepo {
  constructor(private readonly db: Db) {}

  get(id: string): WebhookEndpointRecord | undefined {
    const row = this.db
      .prepare<[string], EndpointRow>('SELECT * FROM webhook_endpoints WHERE id = ?')
      .get(id);
    return row ? fromRow(row) : undefined;
  }

  listOf(connectionId: string): WebhookEndpointRecord[] {
    return this.db
      .prepare<[string], EndpointRow>(
        'SELECT * FROM webhook_endpoints WHERE connection_id = ? ORDER BY created_at, id',
      )
      .all(connectionId)
      .map(fromRow);
  }

  insert(e: WebhookEndpointRecord): void {
    this.db
      .prepare(
        `INSERT INTO webhook_endpoints (id, connection_id, url, enabled, event_types, secret, created_at, secret_rotated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        e.id,
        e.connectionId,
        e.url,
        e.enabled ? 1 : 0,
        typesColumn(e.eventTypes),
        e.secret,
        e.createdAt,
        e.secretRotatedAt,
      );
  }

  update(
    id: string,
    changes: { url?: string; enabled?: boolean; eventTypes?: readonly WebhookEventType[] },
  ): void {
    this.db
      .prepare(
        `UPDATE webhook_endpoints SET url = COALESCE(?, url), enabled = COALESCE(?, enabled),
           event_types = COALESCE(?, event_types) WHERE id = ?`,
      )
      .run(
        changes.url ?? null,
        changes.enabled === undefined ? null : changes.enabled ? 1 : 0,
        changes.eventTypes ? typesColumn(changes.eventTypes) : null,
        id,
      );
  }

  setSecret(id: string, sealed: string, at: number): void {
    this.db
      .prepare('UPDATE webhook_endpoints SET secret = ?, secret_rotated_at = ? WHERE id = ?')
      .run(sealed, at, id);
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM webhook_endpoints WHERE id = ?').run(id);
  }

  /** Counts and last attempt, for the view. */
  stateOf(id: string): Pick<WebhookEndpoint, 'pending' | 'failed' | 'lastAttempt'> {
    const counts = this.db
      .prepare<[string], { pending: number; failed: number }>(
        `SELECT COALESCE(SUM(state = 'pending'), 0) AS pending, COALESCE(SUM(state = 'failed'), 0) AS failed
         FROM webhook_outbox WHERE endpoint_id = ?`,
      )
      .get(id) ?? { pending: 0, failed: 0 };
    const last = this.db
      .prepare<[string], WebhookAttempt>(
        `SELECT ${ATTEMPT_COLUMNS} FROM webhook_attempts WHERE endpoint_id = ? ORDER BY id DESC LIMIT 1`,
      )
      .get(id);
    return { ...counts, lastAttempt: last ?? null };
  }

  /**
   * Pending events of enabled endpoints due by `now`, oldest first, except `busy` (being sent).
   * Events of a disabled endpoint wait until it is enabled again (or their 24 hours pass).
   */
  due(now: number, limit: number, busy: ReadonlySet<number>): OutboxEntry[] {
    return this.db
      .prepare<[number, number], OutboxEntry>(
        `SELECT ${OUTBOX_COLUMNS} FROM webhook_outbox o JOIN webhook_endpoints w ON w.id = o.endpoint_id
         WHERE o.state = 'pending' AND o.next_attempt_at <= ? AND w.enabled = 1
         ORDER BY o.next_attempt_at, o.id LIMIT ?`,
      )
      .all(now, limit + busy.size)
      .filter((e) => !busy.has(e.id))
      .slice(0, limit);
  }

  /** Earliest due time of a pending event of an enabled endpoint. */
  nextDue(): number | undefined {
    const at = this.db
      .prepare(
        `SELECT MIN(o.next_attempt_at) FROM webhook_outbox o JOIN webhook_endpoints w ON w.id = o.endpoint_id
         WHERE o.state = 'pending' AND w.enabled = 1`,
      )
      .pluck()
      .get() as number | null;
    return at ?? undefined;
  }

  /** Fixes the body sent for an event, so every retry sends the same bytes. */
  setPayload(id: number, payload: string): void {
    this.db
      .prepare('UPDATE webhook_outbox SET payload = ? WHERE id = ? AND payload IS NULL')
      .run(payload, id);
  }

  /**
   * Records one attempt and what follows: delivered, retried at `nextAttemptAt`, or failed (given
   * up). One transaction; the history is cut to its newest `keep` rows. Returns the attempt's id.
   */
  recordAttempt(
    attempt: Omit<WebhookAttempt, 'id'>,
    outbox: { id: number; state: 'pending' | 'delivered' | 'failed'; nextAttemptAt: number } | null,
    keep: number,
  ): number {
    return this.db.transaction(() => {
      const { lastInsertRowid } = this.db
        .prepare(
          `INSERT INTO webhook_attempts (endpoint_id, event_id, type, at, status_code, error, duration_ms, outcome)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          attempt.endpointId,
          attempt.eventId,
          attempt.type,
          attempt.at,
          attempt.statusCode,
          attempt.error.slice(0, 500),
          attempt.durationMs,
          attempt.outcome,
        );
      if (outbox) {
        this.db
          .prepare('UPDATE webhook_outbox SET state = ?, tries = tries + 1, next_attempt_at = ? WHERE id = ?')
          .run(outbox.state, outbox.nextAttemptAt, outbox.id);
      }
      this.db
        .prepare(
          `DELETE FROM webhook_attempts WHERE endpoint_id = ? AND id <= (
             SELECT id FROM webhook_attempts WHERE endpoint_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
        )
        .run(attempt.endpointId, attempt.endpointId, keep);
      return Number(lastInsertRowid);
    })();
  }

  /** Newest first. */
  history(endpointId: string, limit: number): WebhookAttempt[] {
    return this.db
      .prepare<[string, number], WebhookAttempt>(
        `SELECT ${ATTEMPT_COLUMNS} FROM webhook_attempts WHERE endpoint_id = ? ORDER BY id DESC LIMIT ?`,
      )
      .all(endpointId, limit);
  }

  /** Sent or given-up events older than `before` leave the outbox (their attempts stay in the history). */
  pruneSettled(before: number): number {
    return this.db
      .prepare("DELETE FROM webhook_outbox WHERE state != 'pending' AND occurred_at < ?")
      .run(before).changes;
  }

  /** What an event's body is made of: its message, connection and the recipient's bounce. */
  factsOf(e: OutboxEntry): EventFacts {
    const message = e.messageId
      ? this.db
          .prepare<[string], EventFacts['message'] & { connectionId: string | null; connectionName: string }>(
            `SELECT m.id, m.message_id AS messageId, m.subject, m.connection_id AS connectionId,
                    COALESCE(c.name, m.connection_name) AS connectionName
             FROM messages m LEFT JOIN connections c ON c.id = m.connection_id WHERE m.id = ?`,
          )
          .get(e.messageId)
      : undefined;
    // The recipient's own bounce row of the event's kind (a complaint is recorded as kind 'complaint').
    const kind = e.type === 'complained' ? 'complaint' : 'bounce';
    const bounce =
      e.recipientId !== null && (e.type === 'bounced' || e.type === 'complained')
        ? this.db
            .prepare<[number, string], { reason: string; hard: number | null; status: string }>(
              'SELECT reason, hard, status FROM bounces WHERE recipient_id = ? AND kind = ? ORDER BY id DESC LIMIT 1',
            )
            .get(e.recipientId, kind)
        : undefined;
    return {
      message,
      bounce: bounce ? { ...bounce, hard: bounce.hard === null ? null : Boolean(bounce.hard) } : undefined,
    };
  }
}

export interface EventFacts {
  message:
    | { id: string; messageId: string; subject: string; connectionId: string | null; connectionName: string }
    | undefined;
  bounce: { reason: string; hard: boolean | null; status: string } | undefined;
}
