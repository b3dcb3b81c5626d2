import { activityOf, type Connection } from '@shared/domain/connection';
import type { EngineContext } from '../engine/context';
import type { ConnectionRecord } from '../store/connections-repo';

/** A stored connection as the contract shows it: without the hash, with active/inactive. */
export function connectionView(
  ctx: Pick<EngineContext, 'clock' | 'settings' | 'store'>,
  c: ConnectionRecord,
): Connection {
  return {
    id: c.id,
    name: c.name,
    enabled: c.enabled,
    mode: c.mode,
    hourlyLimit: c.hourlyLimit,
    username: c.username,
    createdAt: c.createdAt,
    passwordChangedAt: c.passwordChangedAt,
    lastActivityAt: c.lastActivityAt,
    domainIds: ctx.store.domains.domainIdsOf(c.id),
    acceptsAnySender: c.acceptsAnySender,
    activity: activityOf(c, ctx.clock.now(), ctx.settings.get('connections.activeDays')),
  };
}

/** Resend a connection after it handed in mail, at most once a minute each, so "last activity" stays current. */
const ACTIVITY_PUSH_INTERVAL_MS = 60_000;

export function startActivityPublisher(ctx: EngineContext): () => void {
  const lastPushed = new Map<string, number>();
  return ctx.events.subscribe((event) => {
    if (event.type !== 'message.accepted' || !event.data.connectionId) return;
    const id = event.data.connectionId;
    const now = ctx.clock.now();
    if (now - (lastPushed.get(id) ?? Number.NEGATIVE_INFINITY) < ACTIVITY_PUSH_INTERVAL_MS) return;
    lastPushed.set(id, now);
    const record = ctx.store.connections.get(id);
    if (record) ctx.events.emit('connection.changed', connectionView(ctx, record));
  });
}
