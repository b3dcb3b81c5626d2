import type { BounceReason, BounceRecord, ReportKind } from '@shared/domain/bounce';
import type { Db } from './db';

/** A bounce to record: the list view's fields that are not derived, plus the recipient row it is about. */
export type NewBounce = Omit<BounceRecord, 'id' | 'subject' | 'connectionName'> & {
  recipientId: number | null;
};

interface Row {
  id: number;
  at: number;
  message_id: string | null;
  recipient: string;
  origin: 'sync' | 'async';
  kind: BounceRecord['kind'];
  reason: BounceReason;
  hard: number | null;
  status: string;
  reply_code: string;
  diagnostic: string;
  remote_mta: string;
  explanation: string;
  report_id: string | null;
  subject: string | null;
  connection_name: string | null;
}

const fromRow = (r: Row): BounceRecord => ({
  id: r.id,
  at: r.at,
  messageId: r.message_id,
  recipient: r.recipient,
  origin: r.origin,
  kind: r.kind,
  reason: r.reason,
  hard: r.hard === null ? null : r.hard === 1,
  status: r.status,
  replyCode: r.reply_code,
  diagnostic: r.diagnostic,
  remoteMta: r.remote_mta,
  explanation: r.explanation,
  reportId: r.report_id,
  subject: r.subject ?? '',
  connectionName: r.connection_name ?? '',
});

export interface BounceFilter {
  reason?: BounceReason;
  hard?: boolean;
  kind?: BounceRecord['kind'];
  connectionId?: string;
  from?: number;
  to?: number;
  text?: string;
  before?: number;
  limit: number;
}

const SELECT = `SELECT b.*, m.subject, m.connection_name FROM bounces b LEFT JOIN messages m ON m.id = b.message_id`;

/** Reports received, and the bounces, complaints and auto-replies recorded per recipient. */
export class BouncesRepo {
  constructor(private readonly db: Db) {}

  /** Of these report ids, the ones the store has a row for. */
  knownReports(ids: string[]): Set<string> {
    if (ids.length === 0) return new Set();
    return new Set(
      this.db
        .prepare(`SELECT id FROM bounce_reports WHERE id IN (${ids.map(() => '?').join(',')})`)
        .pluck()
        .all(...ids) as string[],
    );
  }

  /**
   * Stores a received report; returns the id of the report already stored when the same bytes
   * came back for the same message before (nothing is stored then).
   */
  insertReport(r: {
    id: string;
    receivedAt: number;
    kind: ReportKind;
    verpMessage: string | null;
    client: string;
    size: number;
    sha256?: string;
  }): { duplicateOf?: string } {
    if (r.sha256 && r.verpMessage) {
      const earlier = this.db
        .prepare('SELECT id FROM bounce_reports WHERE verp_message = ? AND sha256 = ?')
        .pluck()
        .get(r.verpMessage, r.sha256) as string | undefined;
      if (earlier) return { duplicateOf: earlier };
    }
    this.db
      .prepare(
        'INSERT INTO bounce_reports (id, received_at, kind, verp_message, client, size, sha256) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(r.id, r.receivedAt, r.kind, r.verpMessage, r.client, r.size, r.sha256 ?? null);
    return {};
  }

  insert(b: NewBounce): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO bounces (at, message_id, recipient_id, recipient, origin, kind, reason, hard, status, reply_code, diagnostic, remote_mta, explanation, report_id)
           VALUES (@at, @messageId, @recipientId, @recipient, @origin, @kind, @reason, @hard, @status, @replyCode, @diagnostic, @remoteMta, @explanation, @reportId)`,
        )
        .run({ ...b, hard: b.hard === null ? null : b.hard ? 1 : 0 }).lastInsertRowid,
    );
  }

  get(id: number): BounceRecord | undefined {
    const row = this.db.prepare<[number], Row>(`${SELECT} WHERE b.id = ?`).get(id);
    return row && fromRow(row);
  }

  search(f: BounceFilter): BounceRecord[] {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      where.push(sql);
      params.push(value);
    };
    if (f.reason) add('b.reason = ?', f.reason);
    if (f.hard !== undefined) add('b.hard = ?', f.hard ? 1 : 0);
    if (f.kind) add('b.kind = ?', f.kind);
    if (f.connectionId) add('m.connection_id = ?', f.connectionId);
    if (f.from !== undefined) add('b.at >= ?', f.from);
    if (f.to !== undefined) add('b.at < ?', f.to);
    if (f.before !== undefined) add('b.id < ?', f.before);
    if (f.text) {
      where.push("(b.recipient LIKE ? ESCAPE '\\' OR b.diagnostic LIKE ? ESCAPE '\\')");
      const like = `%${f.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      params.push(like, like);
    }
    return this.db
      .prepare<unknown[], Row>(
        `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY b.id DESC LIMIT ?`,
      )
      .all(...params, f.limit)
      .map(fromRow);
  }

  ofMessage(messageId: string): BounceRecord[] {
    return this.db
      .prepare<[string], Row>(`${SELECT} WHERE b.message_id = ? ORDER BY b.id`)
      .all(messageId)
      .map(fromRow);
  }

  /** The message whose Message-ID header is this, for reports whose return path lost its VERP token. */
  messageByHeaderId(headerMessageId: string): string | undefined {
    return this.db
      .prepare('SELECT id FROM messages WHERE message_id = ? ORDER BY accepted_at DESC LIMIT 1')
      .pluck()
      .get(headerMessageId) as string | undefined;
  }
}
