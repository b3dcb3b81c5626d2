import { randomBytes } from 'node:crypto';
import type { ResultOf } from '@shared/api/contract';
import { AppError } from '@shared/api/errors';
import type { ParsedParamsOf } from '@shared/api/schemas';
import { WEBHOOK_ENDPOINTS_PER_CONNECTION } from '@shared/domain/webhook';
import type { EngineContext } from '../engine/context';
import type { WebhookDispatcher } from '../notify/webhook-dispatcher';
import { newWebhookSecret } from '../notify/webhook-signature';
import { webhookView } from '../notify/webhook-view';
import type { WebhookEndpointRecord } from '../store/webhooks-repo';

/** webhooks.*: a connection's endpoints; the secret leaves only in create and rotateSecret results. */
export function webhooksService(ctx: EngineContext, dispatcher: WebhookDispatcher) {
  const { store, clock, events, log } = ctx;
  const repo = store.webhooks;

  const find = (id: string): WebhookEndpointRecord => {
    const e = repo.get(id);
    if (!e)
      throw new AppError(
        'not_found',
        `There is no webhook endpoint ${id}; it may have been deleted. Reload the list.`,
      );
    return e;
  };

  const requireConnection = (connectionId: string) => {
    if (!store.connections.get(connectionId))
      throw new AppError(
        'not_found',
        `There is no connection ${connectionId}; reload the list of connections.`,
      );
  };

  /** One endpoint per URL and connection: a second would get every event twice. */
  const refuseSecondEndpointFor = (connectionId: string, url: string, except?: string) => {
    if (repo.listOf(connectionId).some((e) => e.url === url && e.id !== except))
      throw new AppError(
        'conflict',
        'This connection already sends its events to that URL; edit that endpoint instead.',
        {
          url: 'already an endpoint of this connection',
        },
      );
  };

  const publish = (id: string) => {
    const view = webhookView(repo, find(id));
    events.emit('webhook.changed', view);
    return view;
  };

  return {
    list({ connectionId }: ParsedParamsOf<'webhooks.list'>): ResultOf<'webhooks.list'> {
      requireConnection(connectionId);
      return repo.listOf(connectionId).map((e) => webhookView(repo, e));
    },

    create(p: ParsedParamsOf<'webhooks.create'>): ResultOf<'webhooks.create'> {
      requireConnection(p.connectionId);
      if (repo.listOf(p.connectionId).length >= WEBHOOK_ENDPOINTS_PER_CONNECTION)
        throw new AppError(
          'conflict',
          `A connection can have at most ${WEBHOOK_ENDPOINTS_PER_CONNECTION} webhook endpoints; delete one it no longer needs first.`,
        );
      refuseSecondEndpointFor(p.connectionId, p.url);
      const secret = newWebhookSecret();
      const now = clock.now();
      const id = `wh${randomBytes(6).toString('hex')}`;
      repo.insert({
        id,
        connectionId: p.connectionId,
        url: p.url,
        enabled: p.enabled,
        eventTypes: p.eventTypes,
        secret: dispatcher.seal(secret),
        createdAt: now,
        secretRotatedAt: now,
      });
      log.info('webhook-created', { endpoint: id, conn: p.connectionId, types: p.eventTypes.join(',') });
      return { endpoint: publish(id), secret };
    },

    update({ id, ...changes }: ParsedParamsOf<'webhooks.update'>): ResultOf<'webhooks.update'> {
      const endpoint = find(id);
      if (changes.url) refuseSecondEndpointFor(endpoint.connectionId, changes.url, id);
      repo.update(id, changes);
      log.info('webhook-updated', { endpoint: id, changed: Object.keys(changes).join(',') });
      if (changes.enabled) dispatcher.kick();
      return publish(id);
    },

    delete({ id }: ParsedParamsOf<'webhooks.delete'>): ResultOf<'webhooks.delete'> {
      const endpoint = find(id);
      repo.delete(id);
      log.info('webhook-deleted', { endpoint: id, conn: endpoint.connectionId });
      events.emit('webhook.deleted', { id, connectionId: endpoint.connectionId });
      return { id };
    },

    rotateSecret({ id }: ParsedParamsOf<'webhooks.rotateSecret'>): ResultOf<'webhooks.rotateSecret'> {
      find(id);
      const secret = newWebhookSecret();
      repo.setSecret(id, dispatcher.seal(secret), clock.now());
      log.info('webhook-secret-rotated', { endpoint: id });
      return { endpoint: publish(id), secret };
    },

    history({ id, limit }: ParsedParamsOf<'webhooks.history'>): ResultOf<'webhooks.history'> {
      find(id);
      return repo.history(id, limit);
    },

    sendTest: ({ id }: ParsedParamsOf<'webhooks.sendTest'>): Promise<ResultOf<'webhooks.sendTest'>> =>
      dispatcher.sendTest(id),
  };
}
