import type { ResultOf } from '@shared/api/contract';
import { AppError } from '@shared/api/errors';
import type { ParsedParamsOf } from '@shared/api/schemas';
import type { QueueState } from '@shared/domain/queue';
import { LIFECYCLE } from '@shared/domain/recipient-lifecycle';
import type { EngineContext } from '../engine/context';
import { relayStatus } from './status';

const HOUR_MS = 3_600_000;

/** The queue now, from the counters (migration 0010): the same cost whatever waits. */
export function queueState(ctx: EngineContext): QueueState {
  const waiting = ctx.store.counts.read().recipients;
  return {
    paused: ctx.store.queue.paused(),
    counts: { queued: waiting.queued ?? 0, deferred: waiting.deferred ?? 0, sending: waiting.sending ?? 0 },
    activeConnections: ctx.delivery?.activeConnections() ?? 0,
  };
}

function encodeCursor(nextAttemptAt: number | null, id: number): string {
  return Buffer.from(`${nextAttemptAt ?? 0}:${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { nextAttemptAt: number; id: number } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split(':').map(Number);
  if (!Number.isFinite(at) || !Number.isInteger(id)) {
    throw new AppError(
      'invalid_params',
      'The cursor is not one Relaydesk gave out; start again without it.',
      {
        cursor: 'use nextCursor from the previous page',
      },
    );
  }
  return { nextAttemptAt: at ?? 0, id: id ?? 0 };
}

/** Applies an operator's lifecycle event to every recipient of a message it allows, and tells the console. */
export function operatorTransition(
  ctx: EngineContext,
  id: string,
  event: 'retry' | 'cancel' | 'release',
  what: string,
): { id: string; recipients: number } {
  const { store, clock, events, log } = ctx;
  if (!store.messages.summary(id)) {
    throw new AppError('not_found', `There is no message ${id}; check the id, or it may have been removed.`);
  }
  const { from } = LIFECYCLE[event];
  const now = clock.now();
  const recipients = store.queue.recipientsOf(id, [...from]);
  if (recipients.length === 0) {
    const sending = store.queue.recipientsOf(id, ['sending']).length;
    throw new AppError(
      'conflict',
      sending > 0
        ? `Message ${id} is being sent right now, so there is nothing to ${what}; look again in a moment.`
        : `Message ${id} has no recipient that is ${from.join(' or ')}, so there is nothing to ${what}.`,
    );
  }
  const { applied } = store.queue.transition(
    event,
    recipients.map((r) => ({
      recipientId: r.id,
      messageId: id,
      address: r.address,
      at: now,
      detail: `${LIFECYCLE[event].event} by the operator`,
      nextAttemptAt: event === 'cancel' ? null : now,
      lastReply: event === 'cancel' ? 'cancelled by the operator' : '',
    })),
  );
  log.info(LIFECYCLE[event].event, { msg: id, rcpts: applied.length });
  const summary = store.messages.summary(id);
  if (summary) events.emit('message.changed', summary);
  ctx.delivery?.kick();
  return { id, recipients: applied.length };
}

/** Queue control: the operator's retry / cancel of one message, and pause / resume (release: release.ts). */
export function queueService(ctx: EngineContext) {
  const { store, clock, events, log } = ctx;

  return {
    retry: ({ id }: ParsedParamsOf<'messages.retry'>) => operatorTransition(ctx, id, 'retry', 'retry'),
    cancel: ({ id }: ParsedParamsOf<'messages.cancel'>) => operatorTransition(ctx, id, 'cancel', 'cancel'),
    list(p: ParsedParamsOf<'queue.list'>): ResultOf<'queue.list'> {
      const lifetime = ctx.settings.get('delivery.queueLifetimeHours') * HOUR_MS;
      const rows = store.queue.list(
        {
          limit: p.limit + 1,
          ...(p.status ? { status: p.status } : {}),
          ...(p.domain ? { domain: p.domain } : {}),
          ...(p.cursor ? { after: decodeCursor(p.cursor) } : {}),
        },
        lifetime,
      );
      const items = rows.slice(0, p.limit);
      const last = items[items.length - 1];
      return {
        items,
        nextCursor: rows.length > p.limit && last ? encodeCursor(last.nextAttemptAt, last.recipientId) : null,
      };
    },

    state: (): ResultOf<'queue.state'> => queueState(ctx),

    pause({ domain }: ParsedParamsOf<'queue.pause'>): ResultOf<'queue.pause'> {
      store.queue.pause(domain ?? '*', clock.now());
      log.info('paused', { domain: domain ?? '*' });
      events.emit('status.changed', relayStatus(ctx));
      return queueState(ctx);
    },

    resume({ domain }: ParsedParamsOf<'queue.resume'>): ResultOf<'queue.resume'> {
      store.queue.resume(domain ?? '*');
      log.info('resumed', { domain: domain ?? '*' });
      ctx.delivery?.kick();
      events.emit('status.changed', relayStatus(ctx));
      return queueState(ctx);
    },
  };
}
