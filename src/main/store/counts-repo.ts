import { RECIPIENT_STATUSES, type RecipientStatus, type StatusCounts } from '@shared/domain/message';
import type { Db } from './db';

const STATUSES: ReadonlySet<string> = new Set(RECIPIENT_STATUSES);

export interface StoreCounts {
  messages: number;
  suppressions: number;
  /** Recipients by status; statuses with none are left out. */
  recipients: StatusCounts;
}

/**
 * What the store holds now, read in one small query whatever its size: counters kept by triggers
 * on messages, recipients and suppressions (migration 0010) in the transaction of each change.
 */
export class CountsRepo {
  constructor(private readonly db: Db) {}

  read(): StoreCounts {
    const out: StoreCounts = { messages: 0, suppressions: 0, recipients: {} };
    for (const r of this.db
      .prepare<[], { name: string; n: number }>('SELECT name, n FROM store_counts')
      .all()) {
      if (r.name === 'messages') out.messages = r.n;
      else if (r.name === 'suppressions') out.suppressions = r.n;
      else if (r.name.startsWith('recipients.') && r.n !== 0) {
        const status = r.name.slice('recipients.'.length);
        if (STATUSES.has(status)) out.recipients[status as RecipientStatus] = r.n;
      }
    }
    return out;
  }
}
