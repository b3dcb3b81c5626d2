import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, type BrowserWindow, dialog, Notification, safeStorage } from 'electron';
import { parseRunOptions } from './config/cli';
import { createTray } from './desktop/tray';
import { createConsoleWindow, hardenSession, isConsoleUrl } from './desktop/window';
import { type Engine, startEngine } from './engine/app';
import { installLastResort } from './engine/last-resort';
import { lineLogger } from './engine/logger';
import { relayStatus } from './services/status';
import { fatalStoreLine } from './store/store-errors';
import { registerIpcTransport } from './transport/ipc';

/**
 * Desktop entry: the main process hosts the relay and the store; the window is the console.
 * better-sqlite3 must be built for Electron's ABI here: a packaged app ships that binary in its
 * resources (RELAYDESK_SQLITE_BINDING overrides), while Node tests use the Node build.
 */
function sqliteBinding(): string | undefined {
  const fromEnv = process.env.RELAYDESK_SQLITE_BINDING;
  if (fromEnv) return fromEnv;
  const packaged = join(process.resourcesPath ?? '', 'better_sqlite3.node');
  return existsSync(packaged) ? packaged : undefined;
}

let engine: Engine | undefined;
let window: BrowserWindow | undefined;

function showConsole(): void {
  if (!window || window.isDestroyed()) window = createConsoleWindow();
  if (window.isMinimized()) window.restore();
  window.focus();
}

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
  const { database } = engine.layout;
  engine.context.health.onFatal((err) => {
    dialog.showErrorBox('Relaydesk stopped', fatalStoreLine(err, database));
    app.quit();
  });
  registerIpcTransport(engine.dispatch, engine.events, isConsoleUrl);
  const tray = createTray(showConsole);
  tray.update(relayStatus(engine.context));
  engine.events.subscribe((event) => {
    if (event.type === 'status.changed') tray.update(event.data);
    // The low-quota alert also reaches the desktop, once per crossing like the mail.
    if (event.type === 'quota.alert' && Notification.isSupported()) {
      new Notification({
        title: 'Relaydesk: quota low',
        body: `${event.data.balance.toLocaleString()} mails left (alert below ${event.data.threshold.toLocaleString()}). Book a block under Quota & Billing.`,
      }).show();
    }
  });
  showConsole();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', showConsole);
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  app
    .whenReady()
    .then(boot, () => undefined)
    .catch((err: Error) => {
      dialog.showErrorBox('Relaydesk could not start', err.message);
      app.exit(1);
    });
  app.on('activate', showConsole);
  app.on('window-all-closed', () => {
    // The relay keeps running in the tray; quit from the tray menu.
  });
  app.on('before-quit', (event) => {
    if (!engine) return;
    event.preventDefault();
    const running = engine;
    engine = undefined;
    running.stop().finally(() => app.exit(0));
  });
}
