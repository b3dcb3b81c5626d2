import { mkdirSync } from 'node:fs';
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
  lock: string;
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
    lock: join(root, 'relaydesk.lock'),
  };
  // 0700: the store, spool and keys hold customers' mail and secrets.
  for (const d of [layout.root, layout.spool, layout.tls, layout.dkim])
    mkdirSync(d, { recursive: true, mode: 0o700 });
  return layout;
}
