import { closeSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/engine';
import { type HeadlessRelay, runHeadlessToExit, startHeadless } from '../helpers/headless';
import { mailer } from '../helpers/mailer';
import { createSender } from '../helpers/sender';

let relay: HeadlessRelay | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await relay?.kill();
  relay = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Overwrites every page of the database file but the first, as a failing disk would. */
function damage(database: string): void {
  const size = statSync(database).size;
  const fd = openSync(database, 'r+');
  try {
    writeSync(fd, Buffer.alloc(size - 4096, 0xab), 0, size - 4096, 4096);
  } finally {
    closeSync(fd);
  }
}

const exited = (r: HeadlessRelay) =>
  new Promise<number | null>((res) => {
    if (r.process.exitCode !== null) return res(r.process.exitCode);
    r.process.once('exit', (code) => res(code));
  });

describe('a store that cannot be used any more', () => {
  it('stops the running relay cleanly with one line saying what to do, and acknowledges nothing meanwhile', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    relay = await startHeadless(dataDir);
    const { access } = await createSender(relay.call, { name: 'Webshop' });
    const database = join(dataDir, 'relaydesk.db');
    // Move everything into the database file, then damage it under the running relay.
    const other = new Database(database);
    other.pragma('wal_checkpoint(TRUNCATE)');
    other.close();
    damage(database);

    const sent = mailer(relay.smtpPort, access)
      .sendMail({ from: 'shop@example.com', to: 'a@example.org', subject: 'x', text: 'x' })
      .then(
        (info) => info.response,
        (err: Error) => err.message,
      );
    const code = await Promise.race([
      exited(relay),
      new Promise<string>((r) => setTimeout(() => r('still running'), 15_000)),
    ]);
    expect(code).toBe(1);
    expect(await sent).not.toMatch(/^250/);
    const lines = relay
      .output()
      .split('\n')
      .filter((l) => l.startsWith('relaydesk: '));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^relaydesk: The store .*relaydesk\.db is damaged \(SQLITE_(CORRUPT|NOTADB)\); .*Restore the data folder from a backup/,
    );
  });

  it('stops a start on a damaged store with the same line instead of a stack trace', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    writeFileSync(join(dataDir, 'relaydesk.db'), Buffer.alloc(64 * 1024, 0xab));
    const { code, stderr } = await runHeadlessToExit(dataDir);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^relaydesk: The store .*relaydesk\.db is damaged \(SQLITE_NOTADB\)/);
  });
});
