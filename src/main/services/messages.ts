import type { ResultOf } from '@shared/api/contract';
import { AppError } from '@shared/api/errors';
import type { ParsedParamsOf } from '@shared/api/schemas';
import type { EngineContext } from '../engine/context';

/** Cursor = position of the last item of a page in the newest-first order; opaque to clients. */
export function encodeCursor(acceptedAt: number, id: string): string {
  return Buffer.from(`${acceptedAt}:${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { acceptedAt: number; id: string } {
  const [time, id] = Buffer.from(cursor, 'base64url').toString().split(':');
  const acceptedAt = Number(time);
  if (!id || !Number.isFinite(acceptedAt)) {
    throw new AppError(
      'invalid_params',
      'The cursor is not one Relaydesk gave out; start again without it.',
      {
        cursor: 'use nextCursor from the previous page',
      },
    );
  }
  return { acceptedAt, id };
}

export function messagesService(ctx: EngineContext) {
  const { store, spool } = ctx;

  const find = (id: string) => {
    const m = store.messages.get(id);
    if (!m)
      throw new AppError(
        'not_found',
        `There is no message ${id}; check the id, or it may have been removed.`,
      );
    return m;
  };

  return {
    search(p: ParsedParamsOf<'messages.search'>): ResultOf<'messages.search'> {
      const rows = store.messages.search({
        ...(p.text ? { text: p.text } : {}),
        ...(p.status ? { status: p.status } : {}),
        ...(p.connectionId ? { connectionId: p.connectionId } : {}),
        ...(p.cursor ? { after: decodeCursor(p.cursor) } : {}),
        limit: p.limit + 1,
      });
      const items = rows.slice(0, p.limit);
      const last = items[items.length - 1];
      return {
        items,
        nextCursor: rows.length > p.limit && last ? encodeCursor(last.acceptedAt, last.id) : null,
      };
    },

    get({ id }: ParsedParamsOf<'messages.get'>): ResultOf<'messages.get'> {
      const m = find(id);
      return {
        ...m,
        recipientStates: store.messages.recipientStates(id),
        events: store.messages.events(id),
        attempts: store.messages.attempts(id),
        bounces: store.bounces.ofMessage(id),
      };
    },

    async raw({ id, maxBytes }: ParsedParamsOf<'messages.raw'>): Promise<ResultOf<'messages.raw'>> {
      find(id);
      try {
        const { data, size } = await spool.readHead(id, maxBytes);
        return { id, raw: data.toString('utf8'), size, truncated: data.length < size };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
          throw new AppError(
            'not_found',
            `The stored mail file of message ${id} is missing from the spool folder.`,
          );
        }
        throw err;
      }
    },
  };
}
