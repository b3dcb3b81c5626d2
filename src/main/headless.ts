import { join } from 'node:path';
import { AppError } from '@shared/api/errors';
import { parseHostNames } from '@shared/domain/host-names';
import { parseRunOptions, USAGE, UsageError } from './config/cli';
import { defaultDataDir } from './config/data-dir';
import { startEngine } from './engine/app';
import { lineLogger } from './engine/logger';
import { readOrCreateConsoleToken } from './transport/console-token';
import { startHttpTransport } from './transport/http';

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
  const engine = await startEngine({
    dataDir: options.dataDir ?? defaultDataDir(),
    overrides: options.overrides,
    log,
  });
  const { settings } = engine.context;
  let http: Awaited<ReturnType<typeof startHttpTransport>>;
  try {
    http = await startHttpTransport({
      dispatch: engine.dispatch,
      events: engine.events,
      token: readOrCreateConsoleToken(engine.layout.consoleToken),
      staticDir: join(__dirname, '../renderer'),
      host: settings.get('console.host'),
      port: settings.get('console.port'),
      allowedHosts: () => parseHostNames(settings.get('console.allowedHosts')) ?? [],
      health: engine.context.health,
      log,
    });
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
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    Promise.all([http.close(), engine.stop()]).then(
      () => process.exit(0),
      (err: Error) => {
        log.error('stop-failed', { error: err.message });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError || err instanceof AppError) {
    process.stderr.write(`relaydesk: ${err.message}\n`);
    process.exit(2);
  }
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EADDRINUSE') {
    process.stderr.write(
      `relaydesk: port ${(e as { port?: number }).port ?? ''} is already in use. Stop what holds it, or pick another port with --smtp-port / --console-port (0 = any free port).\n`,
    );
    process.exit(2);
  }
  process.stderr.write(`relaydesk: could not start: ${e.stack ?? String(err)}\n`);
  process.exit(1);
});
