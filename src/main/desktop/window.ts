import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONSOLE_CSP } from '@shared/csp';
import { type App, BrowserWindow, type BrowserWindowConstructorOptions, session, shell } from 'electron';

const devServerUrl = process.env.ELECTRON_RENDERER_URL;

/** The built console's page; the window loads nothing else. */
export const CONSOLE_FILE = join(__dirname, '../renderer/index.html');
const consoleFileUrl = pathToFileURL(CONSOLE_FILE).href;

/** The console itself: exactly its built page (any route in the fragment), or the dev server while developing. */
export function isConsoleUrl(url: string): boolean {
  if (devServerUrl) return url.startsWith(devServerUrl);
  return url.split(/[?#]/)[0] === consoleFileUrl;
}

const isExternalLink = (url: string) => /^(https?|mailto):/i.test(url);

/** Session-wide hardening from Electron's security checklist. */
export function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONSOLE_CSP] } });
  });
}

/** Every web contents, also ones Relaydesk did not make: no <webview>, no navigation away, no new windows. */
export function guardAllWebContents(app: App): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.on('will-navigate', (event, url) => {
      if (!isConsoleUrl(url)) event.preventDefault();
    });
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

/** The options of the console window: the checklist's webPreferences, nothing loosened. */
const CONSOLE_WINDOW_OPTIONS: BrowserWindowConstructorOptions = {
  width: 1280,
  height: 820,
  minWidth: 800,
  minHeight: 600,
  show: false,
  title: 'Relaydesk',
  autoHideMenuBar: true,
  webPreferences: {
    preload: join(__dirname, '../preload/index.js'),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    spellcheck: false,
  },
};

/** Loads the console at `route` ("/bounces?hard=hard"), in the window it has. */
export function showRoute(window: BrowserWindow, route = '/'): void {
  if (devServerUrl) void window.loadURL(`${devServerUrl}#${route}`);
  else void window.loadFile(CONSOLE_FILE, { hash: route });
}

export function createConsoleWindow(route = '/'): BrowserWindow {
  const window = new BrowserWindow(CONSOLE_WINDOW_OPTIONS);
  window.once('ready-to-show', () => window.show());

  // Links leave the app for the user's browser; the window itself never navigates away.
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (!isConsoleUrl(url)) {
      event.preventDefault();
      if (isExternalLink(url)) void shell.openExternal(url);
    }
  });
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());
  showRoute(window, route);
  return window;
}
