import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import type { SettingEntry } from '@shared/domain/settings';
import type { RelayStatus } from '@shared/domain/status';
import { afterEach, describe, expect, it } from 'vitest';
import { startRelay, tempDir } from '../helpers/engine';
import { type HeadlessRelay, startHeadless } from '../helpers/headless';
import { sendMail } from '../helpers/mailer';
import { createSender } from '../helpers/sender';
import { SmtpSession } from '../helpers/smtp-session';

let relay: HeadlessRelay | undefined;
let dataDir = '';
afterEach(async () => {
  await relay?.stop();
  relay = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

/** The SMTP greeting at host:port, or the connection error's code. */
function greetingAt(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(5000, () => socket.destroy(new Error('ETIMEDOUT')));
    socket.once('data', (d) => {
      resolve(d.toString().split('\r\n')[0] ?? '');
      socket.destroy();
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

/** Polls status.get until a run started after `startedAt` answers (bounded to 20 s). */
async function nextRun(r: HeadlessRelay, startedAt: number): Promise<RelayStatus> {
  for (let i = 0; i < 200; i++) {
    await new Promise((res) => setTimeout(res, 100));
    const status = await r.call<RelayStatus>('status.get').catch(() => undefined);
    if (status && status.startedAt !== startedAt) return status;
  }
  throw new Error(`no new run within 20 s:\n${r.output()}`);
}

const entry = async (r: HeadlessRelay, key: string) =>
  (await r.call<SettingEntry[]>('settings.get')).find((e) => e.key === key);

describe('relay.restart in the headless relay', () => {
  it('applies a saved listening address in the same process, on the same ports, keeping queued mail', async () => {
    dataDir = tempDir();
    relay = await startHeadless(dataDir);
    const r = relay;
    await r.call('queue.pause', {});
    const { access } = await createSender(r.call, { name: 'Shop' });
    const session = await SmtpSession.loggedIn(r.smtpPort, access);
    expect(await session.command('MAIL FROM:<shop@example.com>')).toMatch(/^250/);
    expect(await session.command('RCPT TO:<customer@example.org>')).toMatch(/^250/);
    expect(await session.command('DATA')).toMatch(/^354/);
    session.write(
      'From: shop@example.com\r\nTo: customer@example.org\r\nSubject: Order 1\r\n\r\nHi\r\n.\r\n',
    );
    expect(await session.reply()).toMatch(/^250 /);
    session.close();

    await r.call('settings.update', { values: { 'smtp.host': '127.0.0.2' } });
    expect((await entry(r, 'smtp.host'))?.pendingRestart).toBe(true);
    const before = await r.call<RelayStatus>('status.get');

    const answer = await r.call<{ restarting: boolean; startedAt: number }>('relay.restart');
    expect(answer).toEqual({ restarting: true, startedAt: before.startedAt });
    // The same console address answers again (its port was picked at start and is kept), same token.
    const after = await nextRun(r, before.startedAt);
    expect(after.smtp.host).toBe('127.0.0.2');
    expect(after.smtp.port).toBe(r.smtpPort);
    expect(after.bounces?.port).toBe(r.bouncePort);
    expect(await greetingAt('127.0.0.2', r.smtpPort)).toMatch(/^220 /);
    expect(await greetingAt('127.0.0.1', r.smtpPort)).toBe('ECONNREFUSED');
    expect((await entry(r, 'smtp.host'))?.pendingRestart).toBe(false);
    expect(after.counts.recipients.queued).toBe(1);
    expect(after.problems).toEqual([]);
    expect(r.output().match(/SMTP relay: /g)).toHaveLength(2);
    expect(r.output()).toContain('SMTP relay:  127.0.0.2:');
  }, 60_000);

  it('starts with the previous address when the saved one is not this machine’s, says so, and keeps it waiting', async () => {
    dataDir = tempDir();
    relay = await startHeadless(dataDir);
    const r = relay;
    // 192.0.2.1 is TEST-NET-1: never an address of this machine.
    await r.call('settings.update', { values: { 'smtp.host': '192.0.2.1' } });
    const { startedAt } = await r.call<RelayStatus>('status.get');
    await r.call('relay.restart');
    const after = await nextRun(r, startedAt);

    expect(after.smtp.host).toBe('127.0.0.1');
    expect(await greetingAt('127.0.0.1', after.smtp.port)).toMatch(/^220 /);
    const problem = after.problems.find((p) => p.key === 'settings:restart:smtp');
    expect(problem?.message).toContain('cannot listen on 192.0.2.1');
    expect(problem?.nextStep).toContain('previous smtp.host, smtp.port');
    // The saved value is shown, still waiting; nothing pretends it came from a flag.
    const host = await entry(r, 'smtp.host');
    expect(host).toMatchObject({ value: '192.0.2.1', pendingRestart: true, overridden: false });

    // Saved back to the address in use: nothing waits for a restart, and the problem is gone.
    await r.call('settings.update', { values: { 'smtp.host': '127.0.0.1' } });
    expect((await entry(r, 'smtp.host'))?.pendingRestart).toBe(false);
    expect((await r.call<RelayStatus>('status.get')).problems).toEqual([]);
  }, 60_000);

  it('keeps every mail it answered 250 while shops keep sending through a restart', async () => {
    dataDir = tempDir();
    relay = await startHeadless(dataDir);
    const r = relay;
    await r.call('queue.pause', {});
    const { access } = await createSender(r.call, { name: 'Shop' });
    const accepted: string[] = [];
    let refused = 0;
    let sending = true;
    const shop = async (n: number) => {
      for (let i = 0; sending && i < 500; i++) {
        try {
          accepted.push(
            await sendMail(r.smtpPort, access, {
              from: 'shop@example.com',
              to: `customer${n}-${i}@example.org`,
            }),
          );
        } catch {
          // Refused or cut off by the restart: no 250, so the shop sends again later.
          refused++;
          await new Promise((res) => setTimeout(res, 50));
        }
      }
    };
    /** Waits (bounded) until `count` mails in all have had their 250. */
    const acceptedReach = async (count: number) => {
      for (let i = 0; i < 400 && accepted.length < count; i++)
        await new Promise((res) => setTimeout(res, 50));
      expect(accepted.length).toBeGreaterThanOrEqual(count);
    };
    const shops = [0, 1, 2, 3].map(shop);
    await acceptedReach(8);
    const { startedAt } = await r.call<RelayStatus>('status.get');
    const before = accepted.length;
    const asked = Date.now();
    await r.call('relay.restart');
    await nextRun(r, startedAt);
    const back = Date.now() - asked;
    // The shops get through to the new run as well.
    const atNewRun = accepted.length;
    await acceptedReach(atNewRun + 8);
    sending = false;
    await Promise.all(shops);

    console.log(
      `restart under load: ${accepted.length} accepted (${before} before the restart), ${refused} refused or cut off; the console answered again ${back} ms after relay.restart`,
    );
    const status = await r.call<RelayStatus>('status.get');
    expect(status.counts.recipients.queued).toBe(accepted.length);
    for (const id of accepted) expect((await r.call<{ id: string }>('messages.get', { id })).id).toBe(id);
  }, 90_000);

  it('restarts once for a burst of restart calls', async () => {
    dataDir = tempDir();
    relay = await startHeadless(dataDir);
    const r = relay;
    const { startedAt } = await r.call<RelayStatus>('status.get');
    const answers = await Promise.all(Array.from({ length: 10 }, () => r.call('relay.restart')));
    expect(answers).toHaveLength(10);
    await nextRun(r, startedAt);
    await new Promise((res) => setTimeout(res, 500));
    expect(r.output().match(/SMTP relay: /g)).toHaveLength(2);
    expect((await r.call<RelayStatus>('status.get')).problems).toEqual([]);
  }, 30_000);

  it('stops cleanly when SIGTERM comes during a restart', async () => {
    dataDir = tempDir();
    relay = await startHeadless(dataDir);
    const r = relay;
    await r.call('relay.restart');
    const exited = new Promise<number | null>((res) => r.process.once('exit', (code) => res(code)));
    await new Promise((res) => setTimeout(res, 60));
    r.process.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30_000);

  it('is refused as unavailable, with what to do, where the program running the engine cannot restart it', async () => {
    const engineAlone = await startRelay({ deliver: false });
    try {
      await expect(engineAlone.call('relay.restart', {})).rejects.toMatchObject({
        code: 'unavailable',
        message: expect.stringContaining('stop it and start it again'),
      });
    } finally {
      await engineAlone.stop();
    }
  });
});
