import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const ENTRY = resolve(__dirname, '../../out/main/headless.js');

export interface HeadlessRelay {
  process: ChildProcess;
  pid: number;
  smtpPort: number;
  bouncePort: number;
  consolePort: number;
  consoleUrl: string;
  baseUrl: string;
  token: string;
  output: () => string;
  call<T = unknown>(method: string, params?: unknown): Promise<T>;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL: the crash case. */
  kill(): Promise<void>;
}

/** Every listener on a free port; a later flag for the same listener wins. */
export const FREE_PORTS = {
  smtp: ['--smtp-port', '0'],
  console: ['--console-port', '0'],
  bounces: ['--bounces-listen', '127.0.0.1:0'],
};

function spawnHeadless(dataDir: string, extraArgs: string[]) {
  if (!existsSync(ENTRY))
    throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does).`);
  // RELAYDESK_NODE_ARGS: node flags for the relay only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/p" in a bench.
  const nodeArgs = (process.env.RELAYDESK_NODE_ARGS ?? '').split(' ').filter(Boolean);
  return spawn(
    process.execPath,
    [...nodeArgs, ENTRY, '--data-dir', dataDir, ...Object.values(FREE_PORTS).flat(), ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

/** Runs the headless entry until it exits by itself (a start that must fail), bounded to 20 s. */
export function runHeadlessToExit(
  dataDir: string,
  extraArgs: string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnHeadless(dataDir, extraArgs);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d;
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d;
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((res) =>
    child.on('exit', (code) => {
      clearTimeout(killer);
      res({ code, stdout, stderr });
    }),
  );
}

/** Starts the built headless entry (`out/main/headless.js`, what `npm run serve` runs) as a child process. */
export async function startHeadless(dataDir: string, extraArgs: string[] = []): Promise<HeadlessRelay> {
  const child = spawnHeadless(dataDir, extraArgs);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));

  const deadline = Date.now() + 20_000;
  const ready =
    /SMTP relay: +[^\s:]+:(\d+)[\s\S]*Bounces: +[^\s:]+:(\d+)[\s\S]*Console: +(http:\/\/[^\s/]+:(\d+)\/#token=(\S+))/;
  let match = ready.exec(out);
  while (!match) {
    if (child.exitCode !== null) throw new Error(`headless relay exited (${child.exitCode}):\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`headless relay did not start within 20 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
    match = ready.exec(out);
  }
  const [, smtpPort, bouncePort, consoleUrl, consolePort, token] = match;
  const baseUrl = `http://127.0.0.1:${consolePort}`;
  const stopWith = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    process: child,
    pid: child.pid ?? 0,
    smtpPort: Number(smtpPort),
    bouncePort: Number(bouncePort),
    consolePort: Number(consolePort),
    consoleUrl: consoleUrl ?? '',
    baseUrl,
    token: token ?? '',
    output: () => out,
    async call<T>(method: string, params: unknown = {}) {
      const res = await fetch(`${baseUrl}/api/${method}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(params),
      });
      const body = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
      if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
      return body.value as T;
    },
    stop: () => stopWith('SIGTERM'),
    kill: () => stopWith('SIGKILL'),
  };
}

/** Peak resident memory of a process so far (VmHWM), in bytes. Linux only. */
export function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  return Number(kb) * 1024;
}

export function currentRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return Number(kb) * 1024;
}
