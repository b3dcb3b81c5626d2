import type { Settings } from './settings-schema';

export interface RunOptions {
  dataDir?: string;
  overrides: Partial<Settings>;
}

/** Headless flags and their RELAYDESK_* variables (DESIGN.md "Headless flags"). */
const FLAGS = {
  '--data-dir': { env: 'RELAYDESK_DATA_DIR', target: 'dataDir' },
  '--smtp-host': { env: 'RELAYDESK_SMTP_HOST', target: 'smtp.host' },
  '--smtp-port': { env: 'RELAYDESK_SMTP_PORT', target: 'smtp.port' },
  '--console-host': { env: 'RELAYDESK_CONSOLE_HOST', target: 'console.host' },
  '--console-port': { env: 'RELAYDESK_CONSOLE_PORT', target: 'console.port' },
  '--bounces-listen': { env: 'RELAYDESK_BOUNCES_LISTEN', target: 'bounces.listen' },
} as const;

type Flag = keyof typeof FLAGS;

export const USAGE = `Usage: relaydesk-headless [options]
  --data-dir <dir>        where the store, spool, TLS certificate and console token live
  --smtp-host <address>   SMTP relay address (default 127.0.0.1; 0.0.0.0 for other machines)
  --smtp-port <port>      SMTP relay port (default 2525; 0 = pick a free one)
  --console-host <addr>   console/API address (default 127.0.0.1)
  --console-port <port>   console/API port (default 2580; 0 = pick a free one)
  --bounces-listen <h:p>  bounce listener address (default 127.0.0.1:2526; port 0 = pick a free one)
  --help                  show this text
Each flag can also be given as an environment variable: RELAYDESK_DATA_DIR, RELAYDESK_SMTP_HOST, …`;

export class UsageError extends Error {}

function parsePort(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new UsageError(
      `${flag} must be a port number from 0 to 65535 (0 picks a free one), not "${value}"`,
    );
  }
  return n;
}

export function parseRunOptions(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  { ignoreUnknown = false }: { ignoreUnknown?: boolean } = {},
): RunOptions {
  const raw = new Map<Flag, string>();
  for (const [flag, { env: name }] of Object.entries(FLAGS) as [Flag, (typeof FLAGS)[Flag]][]) {
    const value = env[name];
    if (value !== undefined && value !== '') raw.set(flag, value);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [name, inline] = arg.includes('=')
      ? (arg.split(/=(.*)/s, 2) as [string, string])
      : [arg, undefined];
    if (!(name in FLAGS)) {
      if (ignoreUnknown) continue;
      throw new UsageError(`Unknown option "${arg}".\n${USAGE}`);
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--'))
      throw new UsageError(`${name} needs a value.\n${USAGE}`);
    raw.set(name as Flag, value);
  }
  const options: RunOptions = { overrides: {} };
  for (const [flag, value] of raw) {
    const target = FLAGS[flag].target;
    if (target === 'dataDir') options.dataDir = value;
    else if (target === 'smtp.port' || target === 'console.port')
      options.overrides[target] = parsePort(flag, value);
    else options.overrides[target] = value;
  }
  return options;
}
