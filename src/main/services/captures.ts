import type { ResultOf } from '@shared/api/contract';
import { AppError } from '@shared/api/errors';
import type { ParsedParamsOf } from '@shared/api/schemas';
import type { EngineContext } from '../engine/context';

/** Messages deleted per transaction, so a connection with many captures never holds the store for long. */
const BATCH = 500;

/** A sandbox connection's captures not yet released: how many, and deleting them all (Mailpit's "delete all"). */
export function capturesService(ctx: EngineContext) {
  const { store, spool, log } = ctx;

  const requireConnection = (id: string) => {
    if (!store.connections.get(id)) {
      throw new AppError(
        'not_found',
        `There is no connection ${id}; it may have been deleted. Reload the list.`,
      );
    }
  };

  return {
    countCaptured({
      connectionId,
    }: ParsedParamsOf<'messages.countCaptured'>): ResultOf<'messages.countCaptured'> {
      requireConnection(connectionId);
      return { connectionId, messages: store.messages.countCapturedOnly(connectionId) };
    },

    async deleteCaptured({
      connectionId,
    }: ParsedParamsOf<'messages.deleteCaptured'>): Promise<ResultOf<'messages.deleteCaptured'>> {
      requireConnection(connectionId);
      let deleted = 0;
      for (;;) {
        // Chosen and deleted in one transaction: a release in between cannot lose its mail.
        const batch = store.db.transaction(() => {
          const found = store.messages.capturedOnly(connectionId, BATCH);
          store.retention.deleteMessages(found.map((m) => m.id));
          return found;
        })();
        for (const m of batch) if (!m.bodyPurged) await spool.remove(m.id);
        deleted += batch.length;
        if (batch.length < BATCH) break;
      }
      log.info('captures-deleted', { conn: connectionId, messages: deleted });
      if (deleted > 0) ctx.events.emit('captures.deleted', { connectionId, deleted });
      return { connectionId, deleted };
    },
  };
}
