import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/main/engine/clock';
import { createConnection, startRelay, type TestRelay } from '../helpers/engine';
import { SmtpSession } from '../helpers/smtp-session';
import { authArgs, swaks } from '../helpers/swaks';

const MINUTE = 60_000;
let relay: TestRelay | undefined;
afterEach(async () => {
  await relay?.dispose();
  relay = undefined;
});

async function tryLogin(port: number, username: string, password: string): Promise<string> {
  const { session, greeting } = await SmtpSession.open(port);
  if (!greeting.startsWith('220')) {
    session.close();
    return greeting;
  }
  await session.command('EHLO client.test');
  await session.startTls();
  await session.command('EHLO client.test');
  const reply = await session.login(username, password);
  session.close();
  return reply;
}

describe('brute-force lockout', () => {
  it('locks an address out after 10 failed logins in 10 minutes, for 15 minutes, even with the right password', async () => {
    const clock = new ManualClock();
    relay = await startRelay({ deliver: false, clock });
    const { access } = await createConnection(relay);
    for (let i = 0; i < 9; i++) {
      expect(await tryLogin(relay.smtpPort, access.username, `wrong-${i}`)).toMatch(/^535 5\.7\.8/);
      clock.advance(MINUTE);
    }
    // The 10th failure, still within 10 minutes of the first, locks the address.
    expect(await tryLogin(relay.smtpPort, access.username, 'wrong-9')).toMatch(/^535 5\.7\.8/);
    expect(await tryLogin(relay.smtpPort, access.username, access.password)).toMatch(
      /^421 4\.7\.0 Too many failed logins from 127\.0\.0\.1; try again after /,
    );
    clock.advance(14 * MINUTE);
    expect(await tryLogin(relay.smtpPort, access.username, access.password)).toMatch(/^421 4\.7\.0/);
    clock.advance(MINUTE + 1);
    expect(await tryLogin(relay.smtpPort, access.username, access.password)).toMatch(/^235 /);
  });

  it('does not lock out when the failures are spread over more than the window', async () => {
    const clock = new ManualClock();
    relay = await startRelay({ deliver: false, clock });
    const { access } = await createConnection(relay);
    for (let i = 0; i < 12; i++) {
      expect(await tryLogin(relay.smtpPort, access.username, `wrong-${i}`)).toMatch(/^535 5\.7\.8/);
      clock.advance(2 * MINUTE);
    }
    expect(await tryLogin(relay.smtpPort, access.username, access.password)).toMatch(/^235 /);
  });

  it('takes its numbers from the settings', async () => {
    relay = await startRelay({ deliver: false, overrides: { 'smtp.authFailureLimit': 2 } });
    const { access } = await createConnection(relay);
    await tryLogin(relay.smtpPort, access.username, 'x');
    await tryLogin(relay.smtpPort, access.username, 'y');
    expect(await tryLogin(relay.smtpPort, access.username, access.password)).toMatch(/^421 4\.7\.0/);
  });
});

describe('hourly limit of a connection', () => {
  it('answers 451 4.7.1 with the time to retry once the limit is reached, and lets mail through an hour later', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 28, 9, 0, 0));
    relay = await startRelay({ deliver: false, clock });
    const { access } = await createConnection(relay, { name: 'Forum', hourlyLimit: 2 });
    const send = () =>
      swaks(relay?.smtpPort ?? 0, [
        ...authArgs(access),
        '--from',
        'forum@example.com',
        '--to',
        'a@example.org',
      ]);
    expect((await send()).replies.some((l) => l.startsWith('250 2.0.0'))).toBe(true);
    clock.advance(10 * MINUTE);
    expect((await send()).replies.some((l) => l.startsWith('250 2.0.0'))).toBe(true);
    const refused = await send();
    expect(refused.replies).toContain(
      '451 4.7.1 Connection "Forum" reached its limit of 2 mails per hour; try again after 2026-11-28T10:00:00Z',
    );
    clock.advance(50 * MINUTE);
    expect((await send()).replies.some((l) => l.startsWith('250 2.0.0'))).toBe(true);
  });
});
