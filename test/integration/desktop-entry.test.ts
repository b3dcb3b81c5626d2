import { rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { IPC_CALL } from '@shared/api/ipc-channels';
import type { RelayStatus } from '@shared/domain/status';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEngine } from '../../src/main/engine/app';
import { silentLogger } from '../../src/main/engine/logger';
import { tempDir } from '../helpers/engine';
import { app, fake, ipcMain } from '../helpers/fake-electron';

vi.mock('electron', () => import('../helpers/fake-electron'));

/**
 * The desktop entry (src/main/index.ts) as Electron would run it, against the fake `electron`
 * module: the real engine in a fresh data folder on free ports, the IPC transport, tray and window.
 */
const dataDir = tempDir();
let consoleUrl = '';

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!ok()) throw new Error(`${what} did not happen within 5 s`);
}

const ipc = (method: string, params: unknown = {}) =>
  ipcMain.handlers.get(IPC_CALL)?.({ senderFrame: { url: consoleUrl } }, method, params) as Promise<{
    ok: boolean;
    value?: unknown;
  }>;

beforeAll(async () => {
  fake.reset();
  vi.stubEnv('RELAYDESK_DATA_DIR', dataDir);
  vi.stubEnv('RELAYDESK_SMTP_PORT', '0');
  vi.stubEnv('RELAYDESK_BOUNCES_LISTEN', '127.0.0.1:0');
  vi.stubEnv('XDG_CONFIG_HOME', dataDir);
  await import('../../src/main/index');
  const { CONSOLE_FILE } = await import('../../src/main/desktop/window');
  consoleUrl = `${pathToFileURL(CONSOLE_FILE).href}#/`;
  await until('the tray', () => fake.trays.length === 1 && fake.trays[0]?.menu !== undefined);
});

afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the desktop entry', () => {
  it('starts the relay, answers the console over IPC and shows the window and the tray', async () => {
    expect(fake.windows).toHaveLength(1);
    expect(fake.windows[0]?.loaded[0]).toMatchObject({ hash: '/' });
    const status = await ipc('status.get');
    expect(status.ok).toBe(true);
    const value = status.value as RelayStatus;
    expect(value.dataDir).toBe(dataDir);
    expect(value.smtp.port).toBeGreaterThan(0);
    expect(fake.trays[0]?.tooltip).toMatch(/^Relaydesk: Running\n/);
    // A second start of the app brings the window back instead of a second relay.
    fake.windows[0]?.close();
    app.emit('second-instance');
    expect(fake.windows).toHaveLength(2);
  });

  it('relaunches for relay.restart and stops the relay cleanly on quit', async () => {
    const answer = await ipc('relay.restart');
    expect(answer).toMatchObject({ ok: true, value: { restarting: true } });
    await until('the relaunch and exit', () => app.relaunched === 1 && app.exitCode === 0);
    expect(app.quitting).toBe(1);
    // The store was closed: the data folder's lock is free for the next start.
    const again = await startEngine({
      dataDir,
      overrides: { 'smtp.port': 0, 'bounces.listen': '127.0.0.1:0' },
      log: silentLogger,
    });
    await again.stop();
  });
});
