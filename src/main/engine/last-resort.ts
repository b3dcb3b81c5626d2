import type { Health } from './health';
import type { Logger } from './logger';

/**
 * The process-wide net under everything else: an exception or rejection that escaped every
 * handler is logged with its stack and reported (status.get, the console) instead of ending the
 * process, since SMTP intake, delivery and the bounce listener share it and the store keeps
 * every state change transactional. It should never fire; when it does, it is a bug to fix,
 * and the log line says so. Only the entry points install it (tests see escapes as failures).
 */
export function installLastResort(health: Health, log: Logger): () => void {
  const onError = (kind: string) => (err: unknown) => {
    log.error(kind, { error: (err as Error)?.stack ?? String(err) });
    health.report(
      'relay',
      err,
      'Relaydesk carried on. If this comes back, restart it and send the log line to its makers.',
      'relay:escaped',
    );
  };
  const exception = onError('uncaught-exception');
  const rejection = onError('unhandled-rejection');
  process.on('uncaughtException', exception);
  process.on('unhandledRejection', rejection);
  return () => {
    process.off('uncaughtException', exception);
    process.off('unhandledRejection', rejection);
  };
}
