import type { ConnectionMode } from '@shared/domain/connection';
import type {
  AttemptOutcome,
  DeliveryAttempt,
  DeliveryRoute,
  HeaderField,
  MessageEvent,
  MessageSummary,
  RecipientState,
  RecipientStatus,
  StatusCounts,
} from '@shared/domain/message';
import { summaryStatus } from '@shared/domain/message';
import type { Db } from './db';
import { type SearchFilter, searchPage } from './message-search';

export type { SearchFilter } from './message-search';

export interface AcceptedMessage {
  id: string;
  /** null: Relaydesk's own mail (an alert), which belongs to no connection and is never billed. */
  connectionId: string | null;
  connectionName: string;
  mode: ConnectionMode;
  acceptedAt: number;
  mailFrom: string;
  headerFrom: string;
  /** The From: domain the mail was signed for (A-label form). */
  sendingDomain: string;
  subject: string;
  messageId: string;
  size: number;
  clientAddress: string;
  clientHelo: string;
  clientTls: string;
  headers: HeaderField[];
  recipients: string[];
  status: RecipientStatus;
  /**
   * The dkim_keys ids that signed the mail ([] for unsigned mail: Relaydesk's own, and captures
   * of a connection that accepts any sender until a release signs them).
   */
  dkimKeyIds: string[];
}

/**
 * A key that signed the mail was deleted between signing and storing: the mail is not stored,
 * so no waiting mail ever carries a signature whose key Relaydesk no longer has.
 */
export class SigningKeyDeleted extends Error {
  constructor(readonly keyIds: string[]) {
    super(`the DKIM key(s) ${keyIds.join(', ')} were deleted while the mail was being received`);
    this.name = 'SigningKeyDeleted';
  }
}

export interface StoredMessage extends MessageSummary {
  messageId: string;
  sendingDomain: string;
  bodyAvailable: boolean;
  client: { address: string; helo: string; tls: string };
  headers: HeaderField[];
}

interface AttemptRow {
  recipient: string;
  at: number;
  route: DeliveryRoute;
  host: string;
  ip: string;
  port: number;
  tls: string;
  reply_code: number | null;
  enhanced_status: string;
  reply: string;
  duration_ms: number;
  outcome: AttemptOutcome;
}

interface MessageRow {
  id: string;
  connection_id: string | null;
  connection_name: string;
  mode: ConnectionMode;
  accepted_at: number;
  mail_from: string;
  header_from: string;
  sending_domain: string;
  body_purged: number;
  subject: string;
  message_id: string;
  size: number;
  client_address: string;
  client_helo: string;
  client_tls: string;
  headers_json: string;
}

/** A connection's (`?`) messages whose recipients are all still captured: captures not yet released. */
const CAPTURED_ONLY = `m.connection_id = ?
  AND EXISTS (SELECT 1 FROM recipients r WHERE r.message_id = m.id AND r.status = 'captured')
  AND NOT EXISTS (SELECT 1 FROM recipients r WHERE r.message_id = m.id AND r.status <> 'captured')`;

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

export class MessagesRepo {
  private readonly insertMessage;
  private readonly insertSearchEntry;
  private readonly insertRecipient;
  private readonly insertEvent;
  private readonly touchConnection;
  private readonly keysStillThere;
  private readonly recipientsOf;
  private readonly messageById;

  constructor(private readonly db: Db) {
    this.insertMessage = db.prepare(
      `INSERT INTO messages (id, connection_id, connection_name, mode, accepted_at, mail_from, header_from, sending_domain, subject, message_id, size, client_address, client_helo, client_tls, headers_json, dkim_key_ids)
       VALUES (@id, @connectionId, @connectionName, @mode, @acceptedAt, @mailFrom, @headerFrom, @sendingDomain, @subject, @messageId, @size, @clientAddress, @clientHelo, @clientTls, @headersJson, @dkimKeyIdsJson)`,
    );
    this.insertSearchEntry = db.prepare(
      'INSERT INTO messages_fts (rowid, subject, sender, recipients) VALUES (?, ?, ?, ?)',
    );
    this.insertRecipient = db.prepare(
      'INSERT INTO recipients (message_id, address, domain, status, updated_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.insertEvent = db.prepare(
      'INSERT INTO events (at, type, message_id, recipient, connection_id, detail) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.touchConnection = db.prepare('UPDATE connections SET last_activity_at = ? WHERE id = ?');
    this.keysStillThere = db
      .prepare<[string], string>('SELECT id FROM dkim_keys WHERE id IN (SELECT value FROM json_each(?))')
      .pluck();
    this.recipientsOf = db.prepare<
      [string],
      {
        address: string;
        status: RecipientStatus;
        attempts: number;
        updated_at: number;
        next_attempt_at: number | null;
        last_reply: string;
      }
    >(
      'SELECT address, status, attempts, updated_at, next_attempt_at, last_reply FROM recipients WHERE message_id = ? ORDER BY id',
    );
    this.messageById = db.prepare<[string], MessageRow>('SELECT * FROM messages WHERE id = ?');
  }

  /** The keys that signed a message: [] when it is kept unsigned, null for mail from before migration 0008. */
  signingKeyIds(id: string): string[] | null {
    const json = this.db.prepare('SELECT dkim_key_ids FROM messages WHERE id = ?').pluck().get(id) as
      | string
      | null
      | undefined;
    return json ? (JSON.parse(json) as string[]) : null;
  }

  /** A capture kept unsigned was signed at its release: its keys, new size and header fields. */
  recordSigned(id: string, keyIds: string[], size: number, headers: HeaderField[]): void {
    this.db
      .prepare('UPDATE messages SET dkim_key_ids = ?, size = ?, headers_json = ? WHERE id = ?')
      .run(JSON.stringify(keyIds), size, JSON.stringify(headers), id);
  }

  /**
   * Up to `limit` messages of a connection that are captures not yet released (every recipient
   * still `captured`); a release to an address leaves the original recipients captured, but the
   * mail then has a delivery record and is kept.
   */
  capturedOnly(connectionId: string, limit: number): { id: string; bodyPurged: boolean }[] {
    return this.db
      .prepare<[string, number], { id: string; body_purged: number }>(
        `SELECT m.id, m.body_purged FROM messages m WHERE ${CAPTURED_ONLY} LIMIT ?`,
      )
      .all(connectionId, limit)
      .map((r) => ({ id: r.id, bodyPurged: r.body_purged === 1 }));
  }

  /** How many messages `capturedOnly` would find, all of them. */
  countCapturedOnly(connectionId: string): number {
    return this.db
      .prepare(`SELECT COUNT(*) FROM messages m WHERE ${CAPTURED_ONLY}`)
      .pluck()
      .get(connectionId) as number;
  }

  /** Signing keys of a message that are no longer in the store (deleted since it was signed). */
  deletedSigningKeys(id: string): string[] {
    const json = this.db.prepare('SELECT dkim_key_ids FROM messages WHERE id = ?').pluck().get(id) as
      | string
      | null
      | undefined;
    const ids = json ? (JSON.parse(json) as string[]) : [];
    if (ids.length === 0) return [];
    const there = new Set(this.keysStillThere.all(JSON.stringify(ids)));
    return ids.filter((k) => !there.has(k));
  }

  /**
   * Records an accepted mail in one transaction: the message, one row per recipient, an
   * `accepted` event, and the connection's last activity. Called only after the spool file is fsynced.
   * Throws SigningKeyDeleted (storing nothing) when a key that signed it is gone: the key check of
   * `domains.deleteKey` and this one are each one transaction, so one of them always sees the other.
   */
  recordAccepted(m: AcceptedMessage): void {
    this.db.transaction(() => {
      const dkimKeyIdsJson = JSON.stringify(m.dkimKeyIds);
      if (m.dkimKeyIds.length > 0) {
        const there = new Set(this.keysStillThere.all(dkimKeyIdsJson));
        const gone = m.dkimKeyIds.filter((k) => !there.has(k));
        if (gone.length > 0) throw new SigningKeyDeleted(gone);
      }
      const { lastInsertRowid } = this.insertMessage.run({
        ...m,
        headersJson: JSON.stringify(m.headers),
        dkimKeyIdsJson,
      });
      this.insertSearchEntry.run(
        lastInsertRowid,
        m.subject,
        `${m.headerFrom} ${m.mailFrom}`,
        m.recipients.join(' '),
      );
      for (const rcpt of m.recipients) {
        // Queued recipients are due at once; captured ones wait for a release.
        this.insertRecipient.run(
          m.id,
          rcpt,
          domainOf(rcpt),
          m.status,
          m.acceptedAt,
          m.status === 'queued' ? m.acceptedAt : null,
        );
      }
      this.insertEvent.run(
        m.acceptedAt,
        'accepted',
        m.id,
        null,
        m.connectionId,
        `${m.recipients.length} recipient(s), ${m.size} bytes, ${m.status}`,
      );
      this.touchConnection.run(m.acceptedAt, m.connectionId);
    })();
  }

  get(id: string): StoredMessage | undefined {
    const row = this.messageById.get(id);
    if (!row) return undefined;
    const [summary] = this.summarize([row]);
    if (!summary) return undefined;
    return {
      ...summary,
      messageId: row.message_id,
      sendingDomain: row.sending_domain,
      bodyAvailable: row.body_purged === 0,
      client: { address: row.client_address, helo: row.client_helo, tls: row.client_tls },
      headers: JSON.parse(row.headers_json) as HeaderField[],
    };
  }

  /** The list view of one message, or undefined. */
  summary(id: string): MessageSummary | undefined {
    const row = this.messageById.get(id);
    return row ? this.summarize([row])[0] : undefined;
  }

  recipientStates(id: string): RecipientState[] {
    return this.recipientsOf.all(id).map((r) => ({
      address: r.address,
      status: r.status,
      attempts: r.attempts,
      updatedAt: r.updated_at,
      nextAttemptAt: r.status === 'queued' || r.status === 'deferred' ? r.next_attempt_at : null,
      lastReply: r.last_reply,
    }));
  }

  attempts(id: string): DeliveryAttempt[] {
    return this.db
      .prepare<[string], AttemptRow>(
        `SELECT r.address AS recipient, a.at, a.route, a.host, a.ip, a.port, a.tls, a.reply_code, a.enhanced_status,
                a.reply, a.duration_ms, a.outcome
         FROM attempts a JOIN recipients r ON r.id = a.recipient_id WHERE a.message_id = ? ORDER BY a.id`,
      )
      .all(id)
      .map((a) => ({
        recipient: a.recipient,
        at: a.at,
        route: a.route,
        host: a.host,
        ip: a.ip,
        port: a.port,
        tls: a.tls,
        replyCode: a.reply_code,
        enhancedStatus: a.enhanced_status,
        reply: a.reply,
        durationMs: a.duration_ms,
        outcome: a.outcome,
      }));
  }

  events(id: string): MessageEvent[] {
    return this.db
      .prepare<[string], { at: number; type: string; recipient: string | null; detail: string }>(
        'SELECT at, type, recipient, detail FROM events WHERE message_id = ? ORDER BY id',
      )
      .all(id);
  }

  /** One page of messages matching `f`, newest first; see message-search.ts for how it is found. */
  search(f: SearchFilter): MessageSummary[] {
    // A message id pasted into the search box finds that message (one page, no more).
    const pasted = f.text?.trim();
    if (pasted && /^[0-9a-z]{1,64}$/.test(pasted)) {
      const row = this.messageById.get(pasted);
      if (row) return f.after ? [] : this.summarize([row]);
    }
    const rowids = searchPage(this.db, f);
    if (rowids.length === 0) return [];
    const rows = this.db
      .prepare<number[], MessageRow>(
        `SELECT * FROM messages WHERE rowid IN (${rowids.map(() => '?').join(',')}) ORDER BY accepted_at DESC, id DESC`,
      )
      .all(...rowids);
    return this.summarize(rows);
  }

  /** Summaries for a page of rows, with their recipients fetched in one query. */
  private summarize(rows: MessageRow[]): MessageSummary[] {
    if (rows.length === 0) return [];
    const placeholders = rows.map(() => '?').join(',');
    const recipientRows = this.db
      .prepare<string[], { message_id: string; address: string; status: RecipientStatus }>(
        `SELECT message_id, address, status FROM recipients WHERE message_id IN (${placeholders}) ORDER BY id`,
      )
      .all(...rows.map((r) => r.id));
    const byMessage = new Map<string, { recipients: string[]; counts: StatusCounts }>();
    for (const r of recipientRows) {
      let entry = byMessage.get(r.message_id);
      if (!entry) {
        entry = { recipients: [], counts: {} };
        byMessage.set(r.message_id, entry);
      }
      entry.recipients.push(r.address);
      entry.counts[r.status] = (entry.counts[r.status] ?? 0) + 1;
    }
    return rows.map((row) => {
      const entry = byMessage.get(row.id) ?? { recipients: [], counts: {} };
      return {
        id: row.id,
        acceptedAt: row.accepted_at,
        connectionId: row.connection_id,
        connectionName: row.connection_name,
        mode: row.mode,
        mailFrom: row.mail_from,
        from: row.header_from,
        subject: row.subject,
        size: row.size,
        recipients: entry.recipients,
        status: summaryStatus(entry.counts),
        statusCounts: entry.counts,
      };
    });
  }

  countMessages(): number {
    return this.db.prepare('SELECT COUNT(*) FROM messages').pluck().get() as number;
  }

  /** Mails a connection handed in after `since` (for its hourly limit: the last 60 minutes). */
  countAcceptedSince(connectionId: string, since: number): number {
    return this.db
      .prepare('SELECT COUNT(*) FROM messages WHERE connection_id = ? AND accepted_at > ?')
      .pluck()
      .get(connectionId, since) as number;
  }

  /** Mails from live connections accepted after `since` (what the demo hourly limit counts). */
  countLiveAcceptedSince(since: number): number {
    return this.db
      .prepare(
        "SELECT COUNT(*) FROM messages WHERE accepted_at > ? AND mode = 'live' AND connection_id IS NOT NULL",
      )
      .pluck()
      .get(since) as number;
  }

  oldestLiveAcceptedSince(since: number): number | undefined {
    return this.db
      .prepare(
        "SELECT MIN(accepted_at) FROM messages WHERE accepted_at > ? AND mode = 'live' AND connection_id IS NOT NULL",
      )
      .pluck()
      .get(since) as number | undefined;
  }

  /** A mail refused at intake, after login: counted in the statistics as rejected. */
  recordRejection(connectionId: string, reply: string, at: number): void {
    this.insertEvent.run(at, 'rejected', null, null, connectionId, reply);
  }

  /** Earliest acceptance after `since`, to tell a rate-limited client when a slot frees up. */
  oldestAcceptedSince(connectionId: string, since: number): number | undefined {
    return this.db
      .prepare('SELECT MIN(accepted_at) FROM messages WHERE connection_id = ? AND accepted_at > ?')
      .pluck()
      .get(connectionId, since) as number | undefined;
  }
}
