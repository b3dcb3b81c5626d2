import { rmSync } from 'node:fs';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/engine';
import { runHeadlessToExit, startHeadless } from '../helpers/headless';

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

function dataDir(): string {
  const dir = tempDir();
  dirs.push(dir);
  return dir;
}

describe('a port that is already in use', () => {
  it.each([
    ['SMTP relay', (p: number) => ['--smtp-port', String(p)], /--smtp-port <port> \(setting smtp\.port/],
    [
      'bounce listener',
      (p: number) => ['--bounces-listen', `127.0.0.1:${p}`],
      /--bounces-listen <host:port> \(setting bounces\.listen/,
    ],
    [
      'console',
      (p: number) => ['--console-port', String(p)],
      /--console-port <port> \(setting console\.port/,
    ],
  ] as const)(
    'stops the %s start with one line naming the flag and the setting, exit code 2',
    async (what, flag, names) => {
      const port = await occupiedPort();
      const { code, stderr } = await runHeadlessToExit(dataDir(), flag(port));
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
    const dir = dataDir();
    expect((await runHeadlessToExit(dir, ['--smtp-port', String(port)])).code).toBe(2);
    const relay = await startHeadless(dir);
    try {
      expect(relay.smtpPort).toBeGreaterThan(0);
    } finally {
      await relay.stop();
    }
  });
});
