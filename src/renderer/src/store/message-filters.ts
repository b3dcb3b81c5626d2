import type { MessageSummary, RecipientStatus } from '@shared/domain/message';

export interface MessageFilters {
  text: string;
  status: RecipientStatus | null;
  connectionId: string | null;
}

export const NO_FILTERS: MessageFilters = { text: '', status: null, connectionId: null };

/** The search params for these filters, leaving out the empty ones (the server rejects none, but stays lean). */
export function searchParamsOf(f: MessageFilters) {
  const text = f.text.trim();
  return {
    ...(text ? { text } : {}),
    ...(f.status ? { status: f.status } : {}),
    ...(f.connectionId ? { connectionId: f.connectionId } : {}),
  };
}

/**
 * Whether a pushed message belongs in the list under these filters. Mirrors messages.search in
 * the store: text is a case-insensitive substring of subject, From, MAIL FROM or a recipient, or
 * the exact id; status means "some recipient has it".
 */
export function matchesFilters(m: MessageSummary, f: MessageFilters): boolean {
  if (f.connectionId && m.connectionId !== f.connectionId) return false;
  if (f.status && (m.statusCounts[f.status] ?? 0) === 0) return false;
  const text = f.text.trim();
  if (!text) return true;
  if (m.id === text) return true;
  const needle = text.toLowerCase();
  return [m.subject, m.from, m.mailFrom, ...m.recipients].some((v) => v.toLowerCase().includes(needle));
}
