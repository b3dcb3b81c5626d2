import { pathToFileURL } from 'node:url';
import { IPC_CALL } from '@shared/api/ipc-channels';
import { CONSOLE_CSP } from '@shared/csp';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { EngineEvents } from '../../src/main/engine/events';
import { app, BrowserWindow, fake, ipcMain, session } from '../helpers/fake-electron';

vi.mock('electron', () => import('../helpers/fake-electron'));

const { CONSOLE_FILE, createConsoleWindow, guardAllWebContents, hardenSession, isConsoleUrl } = await import(
  '../../src/main/desktop/window'
);
/** The window as the fake made it (the code under test sees Electron's types). */
const consoleWindow = () => createConsoleWindow() as unknown as BrowserWindow;
const { registerIpcTransport } = await import('../../src/main/transport/ipc');

beforeEach(() => fake.reset());

const consoleFile = `${pathToFileURL(CONSOLE_FILE).href}#/messages`;

describe("Electron's security checklist", () => {
  it('opens the console with context isolation, the sandbox, web security and no Node in any frame', () => {
    const window = consoleWindow();
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
    expect(String(window.options.webPreferences?.preload)).toMatch(/preload[/\\]index\.js$/);
    // Loaded from the built files, never from a remote URL.
    expect(window.loaded).toEqual([{ file: expect.stringMatching(/renderer[/\\]index\.html$/), hash: '/' }]);
  });

  it('sends the strict CSP with every response and denies every permission request and check', () => {
    hardenSession();
    const ses = session.defaultSession;
    let headers: Record<string, string[]> = {};
    ses.headersHandler?.({ responseHeaders: { 'X-Other': ['1'] } }, (r) => {
      headers = r.responseHeaders;
    });
    expect(headers['Content-Security-Policy']).toEqual([CONSOLE_CSP]);
    expect(headers['X-Other']).toEqual(['1']);
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toMatch(/unsafe-eval/);

    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      let granted: boolean | undefined;
      ses.permissionRequestHandler?.({}, permission, (g) => {
        granted = g;
      });
      expect(granted, permission).toBe(false);
      expect(ses.permissionCheckHandler?.({}, permission)).toBe(false);
    }
  });

  it('keeps the window on the console: navigation away is blocked and links open in the browser', () => {
    const window = consoleWindow();
    expect(window.webContents.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(window.webContents.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(window.webContents.fire('will-navigate', consoleFile)).toBe(false);
    expect(fake.opened).toEqual(['https://evil.example/']);

    expect(window.webContents.windowOpenHandler?.({ url: 'https://example.com/help' })).toEqual({
      action: 'deny',
    });
    expect(window.webContents.windowOpenHandler?.({ url: 'javascript:alert(1)' })).toEqual({
      action: 'deny',
    });
    expect(fake.opened).toEqual(['https://evil.example/', 'https://example.com/help']);
    expect(window.webContents.fire('will-attach-webview')).toBe(true);
  });

  it('refuses <webview>, navigation and new windows in every web contents, also ones Relaydesk did not make', () => {
    guardAllWebContents(app as never);
    const contents = new BrowserWindow({}).webContents;
    app.emit('web-contents-created', {}, contents);
    expect(contents.fire('will-attach-webview')).toBe(true);
    expect(contents.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });

  it('answers IPC calls only from a frame showing the console', async () => {
    const calls: string[] = [];
    registerIpcTransport(
      async (method) => {
        calls.push(method);
        return { ok: true, value: 'answered' };
      },
      new EngineEvents(),
      isConsoleUrl,
    );
    const handler = ipcMain.handlers.get(IPC_CALL);
    const from = (url: string) => handler?.({ senderFrame: { url } }, 'status.get', {});
    expect(await from('https://evil.example/')).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await from('file:///tmp/other/index.html')).toMatchObject({ ok: false });
    // Another page in a folder named renderer is not the console.
    expect(await from('file:///tmp/downloads/renderer/index.html')).toMatchObject({ ok: false });
    expect(await from(consoleFile)).toEqual({ ok: true, value: 'answered' });
    expect(calls).toEqual(['status.get']);
  });
});
