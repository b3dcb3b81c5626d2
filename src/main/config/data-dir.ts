import { chmodSync, closeSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The default data folder is the one Electron uses for userData (`app.getPath('userData')`),
 * so the desktop app and `npm run serve` share one relay, one store and one set of connections.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Relaydesk');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Relaydesk');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'Relaydesk');
}

export interface DataDirLayout {
  root: string;
  database: string;
  spool: string;
  tls: string;
  dkim: string;
  consoleToken: string;
  verpSecret: string;
  /** Key of the headless secret box (see config/secret-box.ts). */
  secretKey: string;
  lock: string;
  /** Entries whose mode prepareDataDir had to tighten (0 on a healthy folder). */
  permissionsFixed?: number;
}

export function prepareDataDir(dir: string): DataDirLayout {
  const root = resolve(dir);
  const layout: DataDirLayout = {
    root,
    database: join(root, 'relaydesk.db'),
    spool: join(root, 'spool'),
    tls: join(root, 'tls'),
    dkim: join(root, 'dkim'),
    consoleToken: join(root, 'console-token'),
    verpSecret: join(root, 'verp-secret'),
    secretKey: join(root, 'secret-key'),
    lock: join(root, 'relaydesk.lock'),
  };
  // 0700: the store, spool and keys hold customers' mail and secrets.
  for (const d of [layout.root, layout.spool, layout.tls, layout.dkim])
    mkdirSync(d, { recursive: true, mode: 0o700 });
  // SQLite gives the -wal and -shm files the database file's mode: create it 0600 first.
  closeSync(openSync(layout.database, 'a', 0o600));
  layout.permissionsFixed = tightenPermissions(root);
  return layout;
}

/**
 * Makes every folder in the data folder 0700 and every file 0600, whatever an older version, a
 * copy or a restore left (a folder created 0755 before Relaydesk let other local users read
 * the store). Symbolic links are left alone. Returns how many entries it had to change.
 * Windows has no such modes (the data folder lives in the user's profile there).
 */
export function tightenPermissions(root: string, platform = process.platform): number {
  if (platform === 'win32') return 0;
  let fixed = 0;
  const fix = (path: string, mode: number) => {
    if ((statSync(path).mode & 0o777) === mode) return;
    chmodSync(path, mode);
    fixed++;
  };
  fix(root, 0o700);
  const folders = [root];
  for (let dir = folders.pop(); dir !== undefined; dir = folders.pop()) {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        fix(path, 0o700);
        folders.push(path);
      } else if (entry.isFile()) fix(path, 0o600);
    }
  }
  return fixed;
}
