import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/engine';
import { startHeadless } from '../helpers/headless';

const ENTRY = resolve(__dirname, '../../out/main/headless.js');

let holder: Server | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await new Promise<void>((r) => (holder ? holder.close(() => r()) : r()));
  holder = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A port something else already holds on 127.0.0.1. */
async function occupiedPort(): Promise<number> {
  holder = createServer();
  await new Promise<void>((r) => holder?.listen(0, '127.0.0.1', () => r()));
  return (holder.address() as AddressInfo).port;
}

/** Runs the built headless entry to its exit (bounded) and returns its exit code and output. */
function runHeadless(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dataDir = tempDir();
  dirs.push(dataDir);
  const child = spawn(process.execPath, [ENTRY, '--data-dir', dataDir, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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

const FREE = {
  smtp: ['--smtp-port', '0'],
  console: ['--console-port', '0'],
  bounces: ['--bounces-listen', '127.0.0.1:0'],
};

describe('a port that is already in use', () => {
  it.each([
    [
      'SMTP relay',
      'smtp',
      (p: number) => ['--smtp-port', String(p)],
      /--smtp-port <port> \(setting smtp\.port/,
    ],
    [
      'bounce listener',
      'bounces',
      (p: number) => ['--bounces-listen', `127.0.0.1:${p}`],
      /--bounces-listen <host:port> \(setting bounces\.listen/,
    ],
    [
      'console',
      'console',
      (p: number) => ['--console-port', String(p)],
      /--console-port <port> \(setting console\.port/,
    ],
  ] as const)(
    'stops the %s start with one line naming the flag and the setting, exit code 2',
    async (what, key, flag, names) => {
      const port = await occupiedPort();
      const others = Object.entries(FREE)
        .filter(([k]) => k !== key)
        .flatMap(([, a]) => a);
      const { code, stderr } = await runHeadless([...others, ...flag(port)]);
      expect(code).toBe(2);
      const lines = stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`127.0.0.1:${port}`);
      expect(lines[0]).toMatch(/already in use/);
      expect(lines[0]).toMatch(names);
      expect(lines[0]?.toLowerCase()).toContain(what.toLowerCase());
      expect(stderr).not.toMatch(/\n\s+at /);
    },
  );

  it('leaves the data folder free for the next start', async () => {
    const port = await occupiedPort();
    const dataDir = tempDir();
    dirs.push(dataDir);
    const failed = await new Promise<number | null>((res) => {
      const child = spawn(
        process.execPath,
        [
          ENTRY,
          '--data-dir',
          dataDir,
          '--smtp-port',
          String(port),
          '--console-port',
          '0',
          '--bounces-listen',
          '127.0.0.1:0',
        ],
        { stdio: 'ignore' },
      );
      child.on('exit', res);
    });
    expect(failed).toBe(2);
    const relay = await startHeadless(dataDir);
    try {
      expect(relay.smtpPort).toBeGreaterThan(0);
    } finally {
      await relay.stop();
    }
  });
});
