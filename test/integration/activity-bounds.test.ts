import { afterEach, describe, expect, it } from 'vitest';
import type { Refusal } from '../../src/main/activity/activity-log';
import { MAX_PENDING } from '../../src/main/activity/activity-log';
import { ManualClock } from '../../src/main/engine/clock';
import { capturingLogger, createConnection, startRelay, type TestRelay } from '../helpers/engine';
import { sendMail } from '../helpers/mailer';
import { SmtpSession } from '../helpers/smtp-session';

const DAY = 86_400_000;
let relay: TestRelay | undefined;
afterEach(async () => {
  await relay?.dispose();
  relay = undefined;
});

const refusal = (n: number): Refusal => ({
  clientAddress: '192.0.2.7',
  command: `AUTH PLAIN`,
  reply: `535 5.7.8 attempt ${n}`,
  category: 'auth-failed',
  rejectedMail: false,
});

/** A refused command over a real session: an unknown command word. */
async function refuseOneCommand(r: TestRelay, word: string): Promise<void> {
  const { session } = await SmtpSession.open(r.smtpPort);
  expect(await session.command(word)).toMatch(/^500 /);
  session.close();
}

describe('the activity log is bounded', () => {
  it('keeps at most activity.maxEntries entries, the newest, dropping the oldest as new ones come in', async () => {
    relay = await startRelay({ deliver: false, overrides: { 'activity.maxEntries': 100 } });
    const activity = relay.engine.context.activity;
    if (!activity) throw new Error('the engine has no activity log');
    for (let batch = 0; batch < 5; batch++) {
      for (let i = 0; i < 50; i++) activity.record(refusal(batch * 50 + i));
      activity.write();
    }
    expect(relay.engine.context.store.activity.count()).toBe(100);
    const newest = await relay.call('activity.search', { limit: 500 });
    expect(newest.items).toHaveLength(100);
    expect(newest.items[0]?.reply).toBe('535 5.7.8 attempt 249');
    expect(newest.items[99]?.reply).toBe('535 5.7.8 attempt 150');
  });

  it('holds a flood of refusals in memory only up to its bound and logs how many it dropped', async () => {
    const log = capturingLogger();
    relay = await startRelay({ deliver: false, log });
    const activity = relay.engine.context.activity;
    if (!activity) throw new Error('the engine has no activity log');
    // 20,000 refusals in one turn of the event loop: faster than any write could follow.
    for (let i = 0; i < 20_000; i++) activity.record(refusal(i));
    expect(activity.pendingCount()).toBe(MAX_PENDING);
    activity.write();
    expect(activity.pendingCount()).toBe(0);
    expect(relay.engine.context.store.activity.count()).toBe(MAX_PENDING);
    expect(log.lines.some((l) => /activity-dropped/.test(l) && /entries=15000/.test(l))).toBe(true);
  });

  it('takes a flood of 10,000 refused commands in one session: every one is written or counted as dropped, and intake carries on', async () => {
    const log = capturingLogger();
    relay = await startRelay({ deliver: false, log });
    const { access } = await createConnection(relay, { name: 'Webshop' });
    const activity = relay.engine.context.activity;
    if (!activity) throw new Error('the engine has no activity log');
    let most = 0;
    const sampler = setInterval(() => {
      most = Math.max(most, activity.pendingCount());
    }, 1);
    try {
      // RCPT without MAIL: smtp-server's own 503, 10,000 times, pipelined.
      const session = await SmtpSession.loggedIn(relay.smtpPort, access);
      session.write(`${'RCPT TO:<a@example.org>\r\n'.repeat(10_000)}QUIT\r\n`);
      expect(await session.waitClosed(120_000)).toBe(true);
    } finally {
      clearInterval(sampler);
    }
    activity.write();
    const written = relay.engine.context.store.activity.count();
    const dropped = log.lines
      .filter((l) => l.includes('activity-dropped'))
      .reduce((sum, l) => sum + Number(/entries=(\d+)/.exec(l)?.[1] ?? 0), 0);
    expect(written + dropped).toBe(10_000);
    expect(most).toBeLessThanOrEqual(MAX_PENDING);
    const [newest] = (await relay.call('activity.search', { limit: 1 })).items;
    expect(newest).toMatchObject({
      command: 'RCPT TO:<a@example.org>',
      category: 'protocol',
      connectionName: 'Webshop',
    });
    expect(await sendMail(relay.smtpPort, access, { from: 'shop@example.com', to: 'a@example.org' })).toMatch(
      /\w+/,
    );
  });

  it('removes entries older than activity.retentionDays in the cleanup and keeps newer ones', async () => {
    const clock = new ManualClock(Date.UTC(2026, 2, 1, 12));
    relay = await startRelay({ clock, deliver: false, overrides: { 'activity.retentionDays': 30 } });
    await refuseOneCommand(relay, 'OLDCOMMAND');
    relay.engine.context.activity?.write();
    clock.advance(31 * DAY);
    await refuseOneCommand(relay, 'NEWCOMMAND');
    const report = await relay.call('maintenance.cleanup', {});
    expect(report.activityDeleted).toBe(1);
    const left = (await relay.call('activity.search', {})).items;
    expect(left.map((e) => e.command)).toEqual(['NEWCOMMAND']);
  });

  it('keeps entries for ever by age when activity.retentionDays is 0', async () => {
    const clock = new ManualClock(Date.UTC(2026, 2, 1, 12));
    relay = await startRelay({ clock, deliver: false, overrides: { 'activity.retentionDays': 0 } });
    await refuseOneCommand(relay, 'OLDCOMMAND');
    relay.engine.context.activity?.write();
    clock.advance(3650 * DAY);
    expect((await relay.call('maintenance.cleanup', {})).activityDeleted).toBe(0);
    expect((await relay.call('activity.search', {})).items).toHaveLength(1);
  });
});

describe('an activity log that cannot be written', () => {
  it('never breaks intake: mail is still accepted, the problem is shown until writes work again, and the entries wait for that', async () => {
    relay = await startRelay({ deliver: false });
    const { access } = await createConnection(relay, { name: 'Webshop' });
    const { db } = relay.engine.context.store;
    db.exec('ALTER TABLE activity_log RENAME TO activity_log_away');
    await refuseOneCommand(relay, 'BOGUS');
    relay.engine.context.activity?.write();
    const id = await sendMail(relay.smtpPort, access, { from: 'shop@example.com', to: 'a@example.org' });
    expect(id).toMatch(/\w+/);
    const problems = (await relay.call('status.get', {})).problems;
    expect(problems.map((p) => p.key)).toContain('activity');

    // Space again (here: the table back): the waiting entry is written by the next try, with no
    // new refusal needed, and the problem clears.
    db.exec('ALTER TABLE activity_log_away RENAME TO activity_log');
    const deadline = Date.now() + 10_000;
    while ((await relay.call('status.get', {})).problems.some((p) => p.key === 'activity')) {
      if (Date.now() > deadline) throw new Error('the activity problem did not clear');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await relay.call('activity.search', {})).items.map((e) => e.command)).toEqual(['BOGUS']);
  });
});
