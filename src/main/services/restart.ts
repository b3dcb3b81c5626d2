import type { ResultOf } from '@shared/api/contract';
import { AppError } from '@shared/api/errors';
import type { EngineContext } from '../engine/context';

/** relay.restart: hands the restart to the program running the engine, after this reply has gone. */
export function restartService(ctx: EngineContext) {
  /** One restart per run: more calls before it happens are answered the same and add nothing. */
  let requested = false;
  return (): ResultOf<'relay.restart'> => {
    const { restart } = ctx;
    if (!restart)
      throw new AppError(
        'unavailable',
        'This Relaydesk cannot restart itself: stop it and start it again to use the saved settings.',
      );
    if (!requested) setTimeout(restart, 50);
    requested = true;
    return { restarting: true, startedAt: ctx.startedAt };
  };
}
