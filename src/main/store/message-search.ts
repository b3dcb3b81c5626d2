import type { RecipientStatus } from '@shared/domain/message';
import type { Db } from './db';

export interface SearchFilter {
  /** Words, each matched as a prefix in subject, senders or recipients (full-text). */
  text?: string;
  /** Words matched (as prefixes) in the subject only. */
  subject?: string;
  /** Exact envelope recipient (case-insensitive). */
  recipient?: string;
  /** Exact envelope sender (MAIL FROM) or From: address (case-insensitive). */
  sender?: string;
  /** The Message-ID header, with or without angle brackets. */
  messageId?: string;
  status?: RecipientStatus;
  connectionId?: string;
  domain?: string;
  /** Accepted at or after / before these times. */
  from?: number;
  to?: number;
  /** Messages strictly after this position in the newest-first order. */
  after?: { acceptedAt: number; id: string };
  limit: number;
}

/**
 * An FTS5 query that matches every word of `input` as a prefix (in one column, if given). Words
 * are quoted, so nothing the user types is read as query syntax.
 */
export function ftsQuery(input: string, column?: string): string {
  const words = input.match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return '""';
  const terms = words.map((w) => `"${w}"*`).join(' ');
  return column ? `${column} : (${terms})` : terms;
}

/**
 * A status fewer recipients than this hold is listed from the status index and its messages sorted
 * (at most this many). A commoner one is met often enough (at a million recipients, at least one
 * in a hundred) to be checked message by message while walking newest first.
 */
const RARE_STATUS = 10_000;

const NEWEST_FIRST = 'ORDER BY m.accepted_at DESC, m.id DESC';

/** WHERE terms on `messages m`, and whether one of them names a few messages outright. */
class Conditions {
  readonly terms: string[] = [];
  readonly params: unknown[] = [];
  /** Whether a term picks few messages (Message-ID, recipient, rare status): SQLite starts there. */
  selective = false;

  add(sql: string, ...values: unknown[]): void {
    this.terms.push(sql);
    this.params.push(...values);
  }

  get sql(): string {
    return this.terms.length ? this.terms.join(' AND ') : '1';
  }
}

interface Hit {
  rid: number;
  at: number;
  mid: string;
}

const newestFirst = (a: Hit, b: Hit) => b.at - a.at || (a.mid < b.mid ? 1 : a.mid > b.mid ? -1 : 0);

/**
 * One page of a message search: the rowids of its messages, newest first (accepted_at, then id,
 * descending), strictly after the cursor. Which way it is found depends on the filters, so that no
 * page needs to read or sort a large part of the store:
 * - a sender walks two indexes (envelope sender, From: address) newest first and merges them;
 * - words with no selective filter walk the full-text index (see textPage);
 * - otherwise one query, started by SQLite from the most selective index.
 */
export function searchPage(db: Db, f: SearchFilter, rareStatus = RARE_STATUS): number[] {
  const c = conditionsOf(db, f, rareStatus);
  const match = [f.text && ftsQuery(f.text), f.subject && ftsQuery(f.subject, 'subject')]
    .filter(Boolean)
    .join(' AND ');
  if (match && !f.sender && !c.selective) return textPage(db, f, c, match);
  // The unary + keeps SQLite from starting at the full-text index and sorting all its matches.
  if (match) c.add('+m.rowid IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?)', match);
  if (f.sender) return senderPage(db, f.sender.trim().toLowerCase(), c, f.limit);
  return db
    .prepare<unknown[], number>(`SELECT m.rowid FROM messages m WHERE ${c.sql} ${NEWEST_FIRST} LIMIT ?`)
    .pluck()
    .all(...c.params, f.limit);
}

function conditionsOf(db: Db, f: SearchFilter, rareStatus: number): Conditions {
  const c = new Conditions();
  if (f.connectionId) c.add('m.connection_id = ?', f.connectionId);
  if (f.domain) c.add('m.sending_domain = ?', f.domain.toLowerCase());
  if (f.from !== undefined) c.add('m.accepted_at >= ?', f.from);
  if (f.to !== undefined) c.add('m.accepted_at < ?', f.to);
  if (f.after) c.add('(m.accepted_at, m.id) < (?, ?)', f.after.acceptedAt, f.after.id);
  if (f.messageId) {
    const bare = f.messageId.trim().replace(/^<|>$/g, '');
    c.add('m.message_id = ?', `<${bare}>`);
    c.selective = true;
  }
  if (f.recipient) {
    c.add(
      'm.id IN (SELECT r.message_id FROM recipients r WHERE r.address = ? COLLATE NOCASE)',
      f.recipient.trim(),
    );
    c.selective = true;
  }
  if (f.status) {
    const held = db
      .prepare('SELECT COUNT(*) FROM (SELECT 1 FROM recipients WHERE status = ? LIMIT ?)')
      .pluck()
      .get(f.status, rareStatus) as number;
    if (held < rareStatus) {
      c.add('m.id IN (SELECT r.message_id FROM recipients r WHERE r.status = ?)', f.status);
      c.selective = true;
    } else {
      c.add('EXISTS (SELECT 1 FROM recipients r WHERE r.status = ? AND r.message_id = m.id)', f.status);
    }
  }
  return c;
}

/**
 * Messages whose envelope sender or From: address is `sender`: the newest `limit` of each, each
 * walked from its own index, merged.
 */
function senderPage(db: Db, sender: string, c: Conditions, limit: number): number[] {
  const branch = (term: string) =>
    `SELECT * FROM (SELECT m.rowid AS rid, m.accepted_at AS at, m.id AS mid FROM messages m
       WHERE ${term} AND ${c.sql} ${NEWEST_FIRST} LIMIT ?)`;
  return db
    .prepare<unknown[], number>(
      `SELECT rid FROM (${branch('lower(m.mail_from) = ?')} UNION ${branch('m.from_address = ?')})
       ORDER BY at DESC, mid DESC LIMIT ?`,
    )
    .pluck()
    .all(sender, ...c.params, limit, sender, ...c.params, limit, limit);
}

/**
 * Words without a selective filter. The full-text index hands out matches in rowid (storage) order
 * cheaply and lazily, while listing all of a common word's matches costs more than the page is
 * allowed. Storage order is nearly, not exactly, acceptance order: a mail is stored when its DATA
 * is done, and a slow one lands after mail accepted later. So: walk matches newest stored first
 * until a page is full; its oldest acceptance time bounds the page; then look, by acceptance time
 * in that span, for mail stored outside the stretch walked, and let those compete too.
 */
function textPage(db: Db, f: SearchFilter, c: Conditions, match: string): number[] {
  const upper = Math.min(f.to === undefined ? Infinity : f.to - 1, f.after?.acceptedAt ?? Infinity);
  // Start the walk at the last mail stored at or before the upper bound: a hint, corrected below.
  let top: number | undefined;
  if (upper !== Infinity) {
    top = db
      .prepare('SELECT rowid FROM messages WHERE accepted_at <= ? ORDER BY accepted_at DESC LIMIT 1')
      .pluck()
      .get(upper) as number | undefined;
    if (top === undefined) return [];
  }
  // CROSS JOIN keeps the full-text index outside, walked in rowid order.
  const walked = db
    .prepare<unknown[], Hit>(
      `SELECT m.rowid AS rid, m.accepted_at AS at, m.id AS mid
       FROM messages_fts CROSS JOIN messages m ON m.rowid = messages_fts.rowid
       WHERE messages_fts MATCH ? ${top === undefined ? '' : 'AND messages_fts.rowid <= ?'} AND ${c.sql}
       ORDER BY messages_fts.rowid DESC LIMIT ?`,
    )
    .all(match, ...(top === undefined ? [] : [top]), ...c.params, f.limit);
  const full = walked.length === f.limit;
  // Every match stored in [bottom, top] is in `walked`; mail stored elsewhere may still belong.
  const bottom = full ? (walked[walked.length - 1]?.rid ?? 0) : -Infinity;
  if (bottom === -Infinity && top === undefined) return walked.sort(newestFirst).map((h) => h.rid);
  const since = full ? walked.reduce((min, h) => Math.min(min, h.at), Infinity) : (f.from ?? -Infinity);
  const outside = storedOutside(db, { since, upper, bottom, top: top ?? Infinity });
  if (outside.length === 0) return walked.sort(newestFirst).map((h) => h.rid);
  const more = db
    .prepare<unknown[], Hit>(
      `SELECT m.rowid AS rid, m.accepted_at AS at, m.id AS mid FROM messages m
       WHERE m.rowid IN (SELECT value FROM json_each(?)) AND ${c.sql}
         AND +m.rowid IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? AND rowid BETWEEN ? AND ?)`,
    )
    .all(
      JSON.stringify(outside),
      ...c.params,
      match,
      outside.reduce((a, b) => Math.min(a, b)),
      outside.reduce((a, b) => Math.max(a, b)),
    );
  return [...walked, ...more]
    .sort(newestFirst)
    .slice(0, f.limit)
    .map((h) => h.rid);
}

/**
 * Rowids of mail accepted in [since, upper] but stored outside [bottom, top]. Read from whichever
 * is shorter: the acceptance-time index over that span, or the rows stored after `top`.
 */
function storedOutside(db: Db, s: { since: number; upper: number; bottom: number; top: number }): number[] {
  const span = `accepted_at >= ? AND accepted_at <= ?`;
  const spanParams = [
    s.since === -Infinity ? Number.MIN_SAFE_INTEGER : s.since,
    s.upper === Infinity ? Number.MAX_SAFE_INTEGER : s.upper,
  ];
  if (s.bottom === -Infinity && s.top !== Infinity && s.since === -Infinity) {
    const { first, last } = db
      .prepare('SELECT MIN(rowid) AS first, MAX(rowid) AS last FROM messages')
      .get() as { first: number; last: number };
    if (last - s.top < s.top - first) {
      return db
        .prepare<unknown[], number>(`SELECT rowid FROM messages NOT INDEXED WHERE rowid > ? AND ${span}`)
        .pluck()
        .all(s.top, ...spanParams);
    }
  }
  return db
    .prepare<unknown[], number>(
      `SELECT rowid FROM messages INDEXED BY messages_by_time WHERE ${span} AND (+rowid < ? OR +rowid > ?)`,
    )
    .pluck()
    .all(
      ...spanParams,
      s.bottom === -Infinity ? Number.MIN_SAFE_INTEGER : s.bottom,
      s.top === Infinity ? Number.MAX_SAFE_INTEGER : s.top,
    );
}
