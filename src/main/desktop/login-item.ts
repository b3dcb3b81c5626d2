import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { app } from 'electron';

/** Started at login, Relaydesk opens in the tray only: the flag that says so. */
const HIDDEN_FLAG = '--hidden';

/** The XDG autostart entry (Linux: Electron's login items cover only macOS and Windows). */
function autostartFile(env: NodeJS.ProcessEnv = process.env): string {
  const config = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(config, 'autostart', 'relaydesk.desktop');
}

function autostartEntry(executable: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Relaydesk',
    'Comment=Transactional e-mail relay',
    `Exec="${executable}" ${HIDDEN_FLAG}`,
    'X-GNOME-Autostart-enabled=true',
    'Terminal=false',
    '',
  ].join('\n');
}

/**
 * Makes the operating system start Relaydesk at login (hidden, in the tray), or stop doing so.
 * The setting desktop.startAtLogin is the truth; this applies it at start and on every change.
 */
export function applyStartAtLogin(
  on: boolean,
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): void {
  if (platform === 'linux') {
    const file = autostartFile(env);
    if (on) {
      mkdirSync(dirname(file), { recursive: true });
      // An AppImage runs from a temporary mount: its own path is in APPIMAGE.
      writeFileSync(file, autostartEntry(env.APPIMAGE || process.execPath));
    } else rmSync(file, { force: true });
    return;
  }
  app.setLoginItemSettings({ openAtLogin: on, args: on ? [HIDDEN_FLAG] : [] });
}

/** Whether this run was started at login, so no window opens (the tray is enough). */
export function startedAtLogin(argv: readonly string[] = process.argv): boolean {
  if (argv.includes(HIDDEN_FLAG)) return true;
  return process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin === true;
}
