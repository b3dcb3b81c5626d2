import type { EngineContext } from '../engine/context';
import { connectionsService } from './connections';
import { createDispatch, type Dispatch, type Handlers } from './dispatch';
import { messagesService } from './messages';
import { settingsService } from './settings';
import { relayStatus } from './status';

/** Implements every method of the contract over the engine. */
export function createServices(ctx: EngineContext): { handlers: Handlers; dispatch: Dispatch } {
  const connections = connectionsService(ctx);
  const messages = messagesService(ctx);
  const settings = settingsService(ctx);
  const handlers: Handlers = {
    'status.get': () => relayStatus(ctx),
    'connections.list': connections.list,
    'connections.get': connections.get,
    'connections.create': connections.create,
    'connections.update': connections.update,
    'connections.delete': connections.delete,
    'connections.rotatePassword': connections.rotatePassword,
    'messages.search': messages.search,
    'messages.get': messages.get,
    'messages.raw': messages.raw,
    'settings.get': settings.get,
    'settings.update': settings.update,
  };
  return { handlers, dispatch: createDispatch(handlers, ctx.log) };
}
