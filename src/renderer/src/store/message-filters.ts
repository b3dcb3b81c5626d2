import type { ParamsOf } from '@shared/api/schemas';
import type { MessageSummary, RecipientStatus } from '@shared/domain/message';

export interface MessageFilters {
  /** Words (prefixes) in subject, senders or recipients, or a message id. */
  text: string;
  status: RecipientStatus | null;
  connectionId: string | null;
  recipient: string;
  sender: string;
  /** Words (prefixes) in the subject. */
  subject: string;
  messageId: string;
  domain: string | null;
  /** Local dates, YYYY-MM-DD: from the start of `fromDate` to the end of `toDate`. */
  fromDate: string;
  toDate: string;
  /**
   * Accepted at or after this moment (ms): how the Dashboard's 7- and 30-day figures, whose
   * windows start at a whole hour, open exactly the mail they count. Shown as a removable scope.
   */
  since: number | null;
}

export const NO_FILTERS: MessageFilters = {
  text: '',
  status: null,
  connectionId: null,
  recipient: '',
  sender: '',
  subject: '',
  messageId: '',
  domain: null,
  fromDate: '',
  toDate: '',
  since: null,
};

/** Start of a local date "YYYY-MM-DD" in ms, or undefined when empty or not a date. */
export function localDay(date: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const t = new Date(`${date}T00:00:00`).getTime();
  return Number.isFinite(t) ? t : undefined;
}

/** The accepted-at range these filters ask for: [from, to). */
export function dateRangeOf(f: MessageFilters): { from?: number; to?: number } {
  const fromDay = localDay(f.fromDate);
  const from = f.since === null ? fromDay : Math.max(fromDay ?? 0, f.since);
  const toDay = localDay(f.toDate);
  // The end of the last day: the next local midnight (not +24 h, which a DST change would break).
  const to = toDay === undefined ? undefined : new Date(toDay).setDate(new Date(toDay).getDate() + 1);
  return {
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
  };
}

/** messages.search's filter params (paging aside). */
type SearchFilterParams = Omit<ParamsOf<'messages.search'>, 'cursor' | 'limit'>;

/** The search params for these filters, leaving out the empty ones. */
export function searchParamsOf(f: MessageFilters): SearchFilterParams {
  const trimmed = (v: string) => v.trim();
  const out: Record<string, string | number> = {};
  for (const key of ['text', 'recipient', 'sender', 'subject', 'messageId'] as const) {
    const v = trimmed(f[key]);
    if (v) out[key] = v;
  }
  if (f.status) out.status = f.status;
  if (f.connectionId) out.connectionId = f.connectionId;
  if (f.domain) out.domain = f.domain;
  return { ...out, ...dateRangeOf(f) } as SearchFilterParams;
}

const words = (s: string) => s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '');
/** Every word of the query starts some word of the text (as the full-text index matches). */
const prefixMatch = (texts: string[], query: string) => {
  const have = texts.flatMap((t) => words(fold(t)));
  return words(fold(query)).every((q) => have.some((w) => w.startsWith(q)));
};
const addressOf = (from: string) => (/<([^>]+)>/.exec(from)?.[1] ?? from).trim().toLowerCase();

/**
 * Whether a pushed message belongs in the list under these filters, mirroring messages.search.
 * A Message-ID filter looks for a mail that already exists, so a new arrival never matches it.
 */
export function matchesFilters(m: MessageSummary, f: MessageFilters): boolean {
  if (f.connectionId && m.connectionId !== f.connectionId) return false;
  if (f.status && (m.statusCounts[f.status] ?? 0) === 0) return false;
  if (f.messageId.trim()) return false;
  const from = addressOf(m.from);
  if (f.domain && from.slice(from.lastIndexOf('@') + 1) !== f.domain) return false;
  const recipient = f.recipient.trim().toLowerCase();
  if (recipient && !m.recipients.some((r) => r.toLowerCase() === recipient)) return false;
  const sender = f.sender.trim().toLowerCase();
  if (sender && m.mailFrom.toLowerCase() !== sender && from !== sender) return false;
  if (f.subject.trim() && !prefixMatch([m.subject], f.subject)) return false;
  const { from: start, to: end } = dateRangeOf(f);
  if (start !== undefined && m.acceptedAt < start) return false;
  if (end !== undefined && m.acceptedAt >= end) return false;
  const text = f.text.trim();
  if (!text || m.id === text) return true;
  return prefixMatch([m.subject, m.from, m.mailFrom, ...m.recipients], text);
}
