import { join, resolve } from 'node:path';
import { AppError } from '@shared/api/errors';
import { parseHostNames } from '@shared/domain/host-names';
import { parseRunOptions, USAGE, UsageError } from './config/cli';
import { defaultDataDir } from './config/data-dir';
import type { SettingKey, Settings } from './config/settings-schema';
import { type Engine, type PortsPicked, startEngine } from './engine/app';
import { installLastResort } from './engine/last-resort';
import { type ListenerName, ListenFailure, listenAs } from './engine/listen-failure';
import { type Logger, lineLogger } from './engine/logger';
import { fatalStoreLine, isFatalStoreError } from './store/store-errors';
import { readOrCreateConsoleToken } from './transport/console-token';
import { startHttpTransport } from './transport/http';

/** The store's file, for the one line a damaged store gets at start. */
let storeFile = 'relaydesk.db';

/** One run of the relay and its console: what a restart stops and starts again. */
interface Run {
  engine: Engine;
  consoleUrl: string;
  consolePort: number;
  stop(): Promise<void>;
}

interface RunHooks {
  log: Logger;
  restart: () => void;
  /** The store failed beyond repair: the process ends. */
  fatal: (err: unknown) => void;
}

async function startRun(
  dataDir: string,
  overrides: Partial<Settings>,
  hooks: RunHooks,
  picked: PortsPicked = {},
  heldBack: Partial<Settings> = {},
): Promise<Run> {
  const { log } = hooks;
  const engine = await startEngine({
    dataDir,
    overrides,
    log,
    restart: hooks.restart,
    portsPicked: picked,
    heldBack,
  });
  const { settings } = engine.context;
  let http: Awaited<ReturnType<typeof startHttpTransport>>;
  try {
    const host = settings.get('console.host');
    const port = settings.get('console.port') || (picked.console ?? 0);
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
  const uninstall = installLastResort(engine.context.health, log);
  engine.context.health.onFatal(hooks.fatal);
  return {
    engine,
    consoleUrl: http.consoleUrl,
    consolePort: http.port,
    stop: async () => {
      uninstall();
      await Promise.all([http.close(), engine.stop()]);
    },
  };
}

function printStarted(run: Run): void {
  const { context, layout } = run.engine;
  const { smtp, tls, bounceListener } = context;
  process.stdout.write(
    [
      `Relaydesk ${context.version} (headless)`,
      `  SMTP relay:  ${smtp.host}:${smtp.port} (STARTTLS and AUTH required)`,
      `  TLS SHA-256: ${tls().info.fingerprint256}`,
      `  Bounces:     ${bounceListener?.host}:${bounceListener?.port} (bounce reports for the return paths)`,
      `  Console:     ${run.consoleUrl}`,
      `  Data folder: ${layout.root}`,
      '',
    ].join('\n'),
  );
}

/** The restart-bound settings that place each listener. */
const SETTINGS_OF: Record<ListenerName, SettingKey[]> = {
  smtp: ['smtp.host', 'smtp.port'],
  bounces: ['bounces.listen'],
  console: ['console.host', 'console.port'],
};

function pick(values: Partial<Settings>, keys: SettingKey[]): Partial<Settings> {
  return Object.fromEntries(keys.filter((k) => k in values).map((k) => [k, values[k]]));
}

/**
 * A listener that picked a free port at start (0) keeps that port through a restart, unless a
 * new value waits: shops and the open console were told it, and a restart is not a new start.
 */
function portsPicked(run: Run): PortsPicked {
  const used = run.engine.context.settings.inUseUntilRestart();
  const { smtp, bounceListener } = run.engine.context;
  return {
    ...(used['smtp.port'] === 0 ? { smtp: smtp.port } : {}),
    ...(used['console.port'] === 0 ? { console: run.consolePort } : {}),
    ...(used['bounces.listen']?.endsWith(':0') && bounceListener ? { bounces: bounceListener.port } : {}),
  };
}

/**
 * Plain-Node entry (`npm run serve`): the relay, the store and the console in a browser,
 * without Electron. Also what `npm start` falls back to where no desktop window can open.
 * relay.restart stops the run and starts another in this process, with the saved settings.
 */
async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const options = parseRunOptions(argv);
  const log = lineLogger();
  const dataDir = options.dataDir ?? defaultDataDir();
  const overrides = options.overrides ?? {};
  storeFile = join(resolve(dataDir), 'relaydesk.db');

  let stopping = false;
  let restarting: Promise<void> | undefined;
  const hooks: RunHooks = {
    log,
    restart: () => {
      // No run at all (not even with the previous values) ends the process as a failed start does.
      restarting ??= restartRun()
        .catch(exitWith)
        .finally(() => {
          restarting = undefined;
        });
    },
    fatal: (err) => {
      process.stderr.write(`relaydesk: ${fatalStoreLine(err, run.engine.layout.database)}\n`);
      shutdown('store-failed', 1);
    },
  };
  let run = await startRun(dataDir, overrides, hooks);
  printStarted(run);

  /** A saved value that cannot be used (port taken, address not ours) falls back to the previous ones. */
  async function restartRun(): Promise<void> {
    if (stopping) return;
    const previous = run.engine.context.settings.inUseUntilRestart();
    let picked = portsPicked(run);
    let held: Partial<Settings> = {};
    const failures: ListenFailure[] = [];
    log.info('restarting', {});
    await run.stop();
    for (;;) {
      try {
        run = await startRun(dataDir, overrides, hooks, picked, held);
        break;
      } catch (err) {
        // A listener that fails with its previous values too leaves no way to run: the process ends.
        if (!(err instanceof ListenFailure) || SETTINGS_OF[err.listener].some((k) => k in held)) throw err;
        log.error('restart-listener-failed', { listener: err.listener, error: err.message });
        failures.push(err);
        held = { ...held, ...pick(previous, SETTINGS_OF[err.listener]) };
        picked = { ...picked, [err.listener]: undefined };
      }
    }
    const { health, settings } = run.engine.context;
    for (const failure of failures) {
      const keys = SETTINGS_OF[failure.listener];
      const problem = `settings:restart:${failure.listener}`;
      health.report(
        'settings',
        failure,
        `Relaydesk runs with the previous ${keys.join(', ')} until that works: change it under Settings and restart again.`,
        problem,
      );
      // Saved back to the values in use: nothing waits any more, so neither does the problem.
      settings.onChange(() => {
        const waiting = settings
          .entries()
          .some((e) => e.pendingRestart && keys.includes(e.key as SettingKey));
        if (!waiting) health.clear(problem);
      });
    }
    printStarted(run);
  }

  const shutdown = (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    Promise.resolve(restarting)
      .then(() => run.stop())
      .then(
        () => process.exit(exitCode),
        (err: Error) => {
          log.error('stop-failed', { error: err.message });
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

function exitWith(err: unknown): never {
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
}

main(process.argv.slice(2)).catch(exitWith);
