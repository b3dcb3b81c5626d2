import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/main/engine/clock';
import {
  capturingLogger,
  createConnection,
  startRelay,
  type TestRelay,
  waitForRecipients,
} from '../helpers/engine';
import { mailer } from '../helpers/mailer';
import { type RcptAnswer, type Sink, startSink } from '../helpers/sink';

const MINUTE = 60_000;
// Mounting a small tmpfs needs root; CI runs as root (.ci/run).
const isRoot = process.getuid?.() === 0;

let mountPoint = '';
let relay: TestRelay | undefined;
const sinks: Sink[] = [];

beforeAll(() => {
  if (!isRoot) return;
  mountPoint = mkdtempSync(join(tmpdir(), 'relaydesk-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m,mode=0700', 'tmpfs', mountPoint]);
});
afterAll(async () => {
  await relay?.stop();
  for (const s of sinks) await s.close();
  if (!mountPoint) return;
  execFileSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

/** Fills the file system until it answers ENOSPC; returns the filler's path (delete it to free the disk). */
function fillDisk(dir: string): string {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  try {
    for (const size of [1 << 20, 1 << 12, 1]) {
      const chunk = Buffer.alloc(size, 0x61);
      for (let i = 0; i < 100_000; i++) {
        try {
          writeSync(fd, chunk);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw err;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return path;
}

const until = async (check: () => boolean | Promise<boolean>, timeoutMs: number, what: string) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe.skipIf(!isRoot)('a full disk', () => {
  it('refuses new mail with 451, backs delivery off quietly, writes an outcome before the mail could be sent again, and recovers by itself', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 1, 9, 0, 0));
    const log = capturingLogger();
    // slow.example answers DATA after 1.5 s, time enough to fill the disk while the mail is out.
    const slow = await startSink({ dataDelayMs: 1_500 });
    let greylist = true;
    const grey = await startSink({
      onRcpt: (): RcptAnswer => (greylist ? { code: 451, message: '4.7.1 Greylisted, try later' } : 'accept'),
    });
    sinks.push(slow, grey);
    const dataDir = join(mountPoint, 'data');
    const overrides = {
      'delivery.routes': {
        'slow.example': `127.0.0.1:${slow.port}`,
        'grey.example': `127.0.0.1:${grey.port}`,
      },
    };
    relay = await startRelay({ dataDir, clock, log, overrides });
    const sender = await createConnection(relay);
    const send = async (to: string) => {
      const info = await mailer(relay?.smtpPort ?? 0, sender.access).sendMail({
        from: 'shop@example.com',
        to,
        subject: `For ${to}`,
        text: 'Thank you for your order.',
      });
      return /queued as (\w+)/.exec(info.response)?.[1] ?? '';
    };

    // A mail that will be due again while the disk is full.
    const deferred = await send('later@grey.example');
    await waitForRecipients(relay, deferred, ['deferred']);
    // A mail that is being sent when the disk fills up.
    const inFlight = await send('now@slow.example');
    await waitForRecipients(relay, inFlight, ['sending']);

    // The write-ahead log is emptied first, so the next store write needs new disk space.
    relay.engine.context.store.db.pragma('wal_checkpoint(TRUNCATE)');
    const filler = fillDisk(mountPoint);
    const linesBefore = log.lines.length;

    // The recipient server took the mail; its outcome cannot be written now.
    await slow.waitFor(1);
    // New mail: 451, nothing acknowledged that could not be stored.
    await expect(send('new@slow.example')).rejects.toThrow(/^.*451/);
    // The deferred mail falls due while the disk is full: delivery must not spin on it.
    clock.advance(6 * MINUTE);
    await new Promise((r) => setTimeout(r, 4_000));

    const during = log.lines.slice(linesBefore);
    const complaints = during.filter((l) => / (error|warn) /.test(l));
    console.log(`disk full for 4 s: ${complaints.length} warning/error lines:\n${complaints.join('\n')}`);
    expect(complaints.length).toBeLessThanOrEqual(6);
    const status = await relay.call('status.get', {});
    expect(status.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          key: 'delivery:store',
          area: 'delivery',
          nextStep: expect.stringMatching(/disk space/),
        }),
      ]),
    );

    // Space again: the waiting outcome is written, the deferred mail goes out, the problem clears.
    rmSync(filler);
    greylist = false;
    await waitForRecipients(relay, inFlight, ['delivered'], 40_000);
    await waitForRecipients(relay, deferred, ['delivered'], 40_000);
    expect(slow.messages).toHaveLength(1);
    // Intake's problem clears with the next mail it stores.
    const after = await send('after@slow.example');
    await waitForRecipients(relay, after, ['delivered'], 20_000);
    await until(async () => (await relay?.call('status.get', {}))?.problems.length === 0, 10_000, 'recovery');

    // A restart sends nothing twice: the outcome was written before anything could be retried.
    await relay.stop();
    relay = await startRelay({ dataDir, clock, log, overrides });
    await new Promise((r) => setTimeout(r, 2_500));
    expect(slow.messages.map((m) => m.to[0])).toEqual(['now@slow.example', 'after@slow.example']);
    expect((await relay.call('messages.get', { id: inFlight })).recipientStates[0]?.status).toBe('delivered');
  }, 120_000);
});
