import type { ParamsOf } from '@shared/api/schemas';
import type { ActivityCategory, ActivityEntry } from '@shared/domain/activity';

/** What the Activity page shows: each filter narrows the list. */
export interface ActivityFilters {
  category: ActivityCategory | null;
  connectionId: string | null;
  /** Words in the command, the reply, the username or the connection's name. */
  text: string;
  /** Only mails refused after login: the Dashboard's "Rejected". */
  rejectedMail: boolean;
  /** Only entries at or after this time (ms), e.g. the start of a Dashboard window. */
  since: number | null;
}

export const NO_ACTIVITY_FILTERS: ActivityFilters = {
  category: null,
  connectionId: null,
  text: '',
  rejectedMail: false,
  since: null,
};

export function activityParamsOf(f: ActivityFilters): ParamsOf<'activity.search'> {
  const text = f.text.trim();
  return {
    ...(f.category ? { category: f.category } : {}),
    ...(f.connectionId ? { connectionId: f.connectionId } : {}),
    ...(text ? { text } : {}),
    ...(f.rejectedMail ? { rejectedMail: true } : {}),
    ...(f.since !== null ? { from: f.since } : {}),
  };
}

/** Whether a pushed entry belongs in the list the filters show (the relay's own search, in the console). */
export function matchesActivityFilters(e: ActivityEntry, f: ActivityFilters): boolean {
  if (f.category && e.category !== f.category) return false;
  if (f.connectionId && e.connectionId !== f.connectionId) return false;
  if (f.rejectedMail && !e.rejectedMail) return false;
  if (f.since !== null && e.at < f.since) return false;
  const text = f.text.trim().toLowerCase();
  if (!text) return true;
  return [e.command, e.reply, e.username ?? '', e.connectionName ?? ''].some((v) =>
    v.toLowerCase().includes(text),
  );
}
