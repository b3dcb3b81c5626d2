import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, dialog, safeStorage } from 'electron';
import { parseRunOptions } from './config/cli';
import { startedAtLogin } from './desktop/login-item';
import { type DesktopShell, startDesktopShell } from './desktop/shell';
import { guardAllWebContents, hardenSession, isConsoleUrl } from './desktop/window';
import { type Engine, startEngine } from './engine/app';
import { installLastResort } from './engine/last-resort';
import { lineLogger } from './engine/logger';
import { registerIpcTransport } from './transport/ipc';

/**
 * Desktop entry: the main process hosts the relay and the store; the window is the console.
 * better-sqlite3 must be built for Electron's ABI here. An installer carries its own build, rebuilt
 * for Electron and unpacked from the asar (electron-builder.yml), which better-sqlite3 finds by
 * itself; RELAYDESK_SQLITE_BINDING (or a better_sqlite3.node in resources/) points at another,
 * e.g. to run the desktop app from a clone, whose node_modules hold the Node build for the tests.
 */
function sqliteBinding(): string | undefined {
  const fromEnv = process.env.RELAYDESK_SQLITE_BINDING;
  if (fromEnv) return fromEnv;
  const packaged = join(process.resourcesPath ?? '', 'better_sqlite3.node');
  return existsSync(packaged) ? packaged : undefined;
}

let engine: Engine | undefined;
let shell: DesktopShell | undefined;

async function boot(): Promise<void> {
  // Electron and Chromium add switches of their own; only Relaydesk's flags are read here.
  const options = parseRunOptions(process.argv.slice(1), process.env, { ignoreUnknown: true });
  hardenSession();
  engine = await startEngine({
    dataDir: options.dataDir ?? app.getPath('userData'),
    overrides: options.overrides,
    log: lineLogger(),
    sqliteBinding: sqliteBinding(),
    // Secrets sealed by the OS keychain; headless falls back to the key file in the data folder.
    osSecretStorage: safeStorage,
    // relay.restart: a new app process with the same flags; before-quit stops this one cleanly.
    restart: () => {
      app.relaunch();
      app.quit();
    },
  });
  installLastResort(engine.context.health, engine.context.log);
  registerIpcTransport(engine.dispatch, engine.events, isConsoleUrl);
  shell = startDesktopShell(engine, { hidden: startedAtLogin() });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => shell?.openConsole());
  guardAllWebContents(app);
  app
    .whenReady()
    .then(boot, () => undefined)
    .catch((err: Error) => {
      dialog.showErrorBox('Relaydesk could not start', err.message);
      app.exit(1);
    });
  app.on('activate', () => shell?.openConsole());
  app.on('window-all-closed', () => {
    // The relay keeps running in the tray; quit from the tray menu.
  });
  app.on('before-quit', (event) => {
    if (!engine) return;
    event.preventDefault();
    const running = engine;
    engine = undefined;
    shell?.stop();
    running.stop().finally(() => app.exit(0));
  });
}
