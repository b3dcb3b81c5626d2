import type { ResultOf } from '@shared/api/contract';
import { AppError } from '@shared/api/errors';
import type { ParsedParamsOf } from '@shared/api/schemas';
import type { EngineContext } from '../engine/context';

/** The activity log: refused SMTP commands and sessions, newest first, a page at a time. */
export function activityService(ctx: EngineContext) {
  return {
    search(p: ParsedParamsOf<'activity.search'>): ResultOf<'activity.search'> {
      const before = p.cursor ? Number(Buffer.from(p.cursor, 'base64url').toString()) : undefined;
      if (before !== undefined && !Number.isInteger(before)) {
        throw new AppError(
          'invalid_params',
          'The cursor is not one Relaydesk gave out; start again without it.',
          {
            cursor: 'use nextCursor from the previous page',
          },
        );
      }
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
      const items = rows.slice(0, p.limit);
      const last = items[items.length - 1];
      return {
        items,
        nextCursor: rows.length > p.limit && last ? Buffer.from(String(last.id)).toString('base64url') : null,
      };
    },
  };
}
