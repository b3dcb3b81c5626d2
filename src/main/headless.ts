import { join, resolve } from 'node:path';
import { AppError } from '@shared/api/errors';
import { parseHostNames } from '@shared/domain/host-names';
import { parseRunOptions, USAGE, UsageError } from './config/cli';
import { defaultDataDir } from './config/data-dir';
import { startEngine } from './engine/app';
import { installLastResort } from './engine/last-resort';
import { ListenFailure, listenAs } from './engine/listen-failure';
import { lineLogger } from './engine/logger';
import { fatalStoreLine, isFatalStoreError } from './store/store-errors';
import { readOrCreateConsoleToken } from './transport/console-token';
import { startHttpTransport } from './transport/http';

/** The store's file, for the one line a damaged store gets at start. */
let storeFile = 'relaydesk.db';

/**
 * Plain-Node entry (`npm run serve`): the relay, the store and the console in a browser,
 * without Electron. Also what `npm start` falls back to where no desktop window can open.
 */
async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const options = parseRunOptions(argv);
  const log = lineLogger();
  const dataDir = options.dataDir ?? defaultDataDir();
  storeFile = join(resolve(dataDir), 'relaydesk.db');
  const engine = await startEngine({
    dataDir,
    overrides: options.overrides,
    log,
  });
  const { settings } = engine.context;
  let http: Awaited<ReturnType<typeof startHttpTransport>>;
  try {
    const host = settings.get('console.host');
    const port = settings.get('console.port');
    http = await listenAs('console', host, port, () =>
      startHttpTransport({
        dispatch: engine.dispatch,
        events: engine.events,
        token: readOrCreateConsoleToken(engine.layout.consoleToken),
        staticDir: join(__dirname, '../renderer'),
        host,
        port,
        allowedHosts: () => parseHostNames(settings.get('console.allowedHosts')) ?? [],
        health: engine.context.health,
        log,
      }),
    );
  } catch (err) {
    await engine.stop();
    throw err;
  }

  const { smtp, tls } = engine.context;
  process.stdout.write(
    [
      `Relaydesk ${engine.context.version} (headless)`,
      `  SMTP relay:  ${smtp.host}:${smtp.port} (STARTTLS and AUTH required)`,
      `  TLS SHA-256: ${tls().info.fingerprint256}`,
      `  Bounces:     ${engine.context.bounceListener?.host}:${engine.context.bounceListener?.port} (bounce reports for the return paths)`,
      `  Console:     ${http.consoleUrl}`,
      `  Data folder: ${engine.layout.root}`,
      '',
    ].join('\n'),
  );

  let stopping = false;
  const shutdown = (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    Promise.all([http.close(), engine.stop()]).then(
      () => process.exit(exitCode),
      (err: Error) => {
        log.error('stop-failed', { error: err.message });
        process.exit(1);
      },
    );
  };
  installLastResort(engine.context.health, log);
  engine.context.health.onFatal((err) => {
    process.stderr.write(`relaydesk: ${fatalStoreLine(err, engine.layout.database)}\n`);
    shutdown('store-failed', 1);
  });
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (isFatalStoreError(err)) {
    process.stderr.write(`relaydesk: ${fatalStoreLine(err, storeFile)}\n`);
    process.exit(1);
  }
  if (err instanceof UsageError || err instanceof AppError || err instanceof ListenFailure) {
    process.stderr.write(`relaydesk: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`relaydesk: could not start: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
