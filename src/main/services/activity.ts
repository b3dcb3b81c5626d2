import type { ResultOf } from '@shared/api/contract';
import type { ParsedParamsOf } from '@shared/api/schemas';
import type { EngineContext } from '../engine/context';
import { idCursorBefore, idPage } from './id-paging';

/** The activity log: refused SMTP commands and sessions, newest first, a page at a time. */
export function activityService(ctx: EngineContext) {
  return {
    search(p: ParsedParamsOf<'activity.search'>): ResultOf<'activity.search'> {
      const before = idCursorBefore(p.cursor);
      // Writes wait up to a quarter of a second in memory: a search sees everything refused before it.
      ctx.activity?.write();
      const rows = ctx.store.activity.search({
        limit: p.limit + 1,
        ...(p.category ? { category: p.category } : {}),
        ...(p.connectionId ? { connectionId: p.connectionId } : {}),
        ...(p.clientAddress ? { clientAddress: p.clientAddress } : {}),
        ...(p.text ? { text: p.text } : {}),
        ...(p.rejectedMail !== undefined ? { rejectedMail: p.rejectedMail } : {}),
        ...(p.from !== undefined ? { from: p.from } : {}),
        ...(p.to !== undefined ? { to: p.to } : {}),
        ...(before !== undefined ? { before } : {}),
      });
      return idPage(rows, p.limit);
    },
  };
}
