import type { ResultOf } from '@shared/api/contract';
import { AppError } from '@shared/api/errors';
import type { EngineContext } from '../engine/context';

/** relay.restart: hands the restart to the program running the engine, after this reply has gone. */
export function restartService(ctx: EngineContext) {
  return (): ResultOf<'relay.restart'> => {
    const { restart } = ctx;
    if (!restart)
      throw new AppError(
        'unavailable',
        'This Relaydesk cannot restart itself: stop it and start it again to use the saved settings.',
      );
    setTimeout(restart, 50);
    return { restarting: true, startedAt: ctx.startedAt };
  };
}
