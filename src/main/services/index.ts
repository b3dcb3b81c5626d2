import type { EngineContext } from '../engine/context';
import { runCleanup } from '../retention/cleanup';
import { isFatalStoreError } from '../store/store-errors';
import { activityService } from './activity';
import { bouncesService } from './bounces';
import { capturesService } from './captures';
import { connectionsService } from './connections';
import { createDispatch, type Dispatch, type Handlers } from './dispatch';
import { domainsService } from './domains';
import { messagesService } from './messages';
import { queueService } from './queue';
import { quotaService } from './quota';
import { releaseService } from './release';
import { restartService } from './restart';
import { settingsService } from './settings';
import { statsService } from './stats';
import { relayStatus } from './status';
import { suppressionsService } from './suppressions';
import { certificateDownload } from './tls';
import { webhooksService } from './webhooks';

/** Implements every method of the contract over the engine. */
export function createServices(ctx: EngineContext): { handlers: Handlers; dispatch: Dispatch } {
  const connections = connectionsService(ctx);
  const messages = messagesService(ctx);
  const settings = settingsService(ctx);
  const domains = domainsService(ctx);
  const queue = queueService(ctx);
  const bounces = bouncesService(ctx);
  const quota = ctx.quota ? quotaService(ctx, ctx.quota) : undefined;
  if (!quota) throw new Error('the quota ledger starts before the services');
  const suppressions = suppressionsService(ctx);
  const stats = statsService(ctx);
  if (!ctx.webhooks) throw new Error('the webhook dispatcher starts before the services');
  const webhooks = webhooksService(ctx, ctx.webhooks);
  const release = releaseService(ctx);
  const captures = capturesService(ctx);
  const activity = activityService(ctx);
  const handlers: Handlers = {
    'status.get': () => relayStatus(ctx),
    'connections.list': connections.list,
    'connections.get': connections.get,
    'connections.create': connections.create,
    'connections.update': connections.update,
    'connections.delete': connections.delete,
    'connections.rotatePassword': connections.rotatePassword,
    'domains.list': domains.list,
    'domains.get': domains.get,
    'domains.create': domains.create,
    'domains.update': domains.update,
    'domains.delete': domains.delete,
    'domains.generateKey': domains.generateKey,
    'domains.importKey': domains.importKey,
    'domains.activateKey': domains.activateKey,
    'domains.deleteKey': domains.deleteKey,
    'domains.checkDns': domains.checkDns,
    'messages.search': messages.search,
    'messages.get': messages.get,
    'messages.raw': messages.raw,
    'messages.content': messages.content,
    'messages.attachment': messages.attachment,
    'messages.retry': queue.retry,
    'messages.cancel': queue.cancel,
    'messages.release': release.release,
    'bounces.search': bounces.search,
    'bounces.get': bounces.get,
    'bounces.analyze': bounces.analyze,
    'suppressions.search': suppressions.search,
    'suppressions.add': suppressions.add,
    'suppressions.remove': suppressions.remove,
    'suppressions.import': suppressions.import,
    'suppressions.export': suppressions.export,
    'quota.get': quota.get,
    'quota.bookBlock': quota.bookBlock,
    'quota.setAutoRenew': quota.setAutoRenew,
    'quota.statements': quota.statements,
    'quota.exportStatement': quota.exportStatement,
    'queue.list': queue.list,
    'queue.state': queue.state,
    'queue.pause': queue.pause,
    'queue.resume': queue.resume,
    'stats.summary': stats.summary,
    'stats.series': stats.series,
    'maintenance.cleanup': () => runCleanup(ctx),
    'settings.get': settings.get,
    'settings.update': settings.update,
    'connections.setup': connections.setup,
    'tls.certificate': () => certificateDownload(ctx),
    'webhooks.list': webhooks.list,
    'webhooks.create': webhooks.create,
    'webhooks.update': webhooks.update,
    'webhooks.delete': webhooks.delete,
    'webhooks.rotateSecret': webhooks.rotateSecret,
    'webhooks.history': webhooks.history,
    'webhooks.sendTest': webhooks.sendTest,
    'messages.countCaptured': captures.countCaptured,
    'messages.deleteCaptured': captures.deleteCaptured,
    'connections.sendTest': connections.sendTest,
    'activity.search': activity.search,
    'relay.restart': restartService(ctx),
  };
  // Only a store error that waiting cannot cure matters beyond the request that met it.
  const onUnexpected = (err: unknown) => {
    if (isFatalStoreError(err)) ctx.health.reportFatal(err);
  };
  return { handlers, dispatch: createDispatch(handlers, ctx.log, onUnexpected) };
}
