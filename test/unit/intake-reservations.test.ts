import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/main/engine/clock';
import { ConnectionCaps } from '../../src/main/intake/connection-caps';
import { AuthLockout } from '../../src/main/intake/lockout';
import { Reservations, SessionReservations } from '../../src/main/intake/reservations';

const HOUR = 3_600_000;

describe('reservations', () => {
  it('count a place under every key it was taken for until it is released, once', () => {
    const r = new Reservations(new ManualClock());
    const a = r.take(['connection:a', 'live']);
    r.take(['live']);
    expect(r.held('connection:a')).toBe(1);
    expect(r.held('live')).toBe(2);
    a.release();
    a.release();
    expect(r.held('connection:a')).toBe(0);
    expect(r.held('live')).toBe(1);
  });

  it('stop counting a place older than the hourly window, so a leak cannot block a limit for ever', () => {
    const clock = new ManualClock();
    const r = new Reservations(clock);
    r.take(['live']);
    clock.advance(HOUR - 1);
    expect(r.held('live')).toBe(1);
    clock.advance(1);
    expect(r.held('live')).toBe(0);
  });

  it('give back what a session held when it starts a new transaction, resets or closes', () => {
    const r = new Reservations(new ManualClock());
    const sessions = new SessionReservations();
    sessions.hold('s1', r.take(['live']));
    sessions.hold('s1', r.take(['live']));
    expect(r.held('live')).toBe(1);
    sessions.release('s1');
    expect(r.held('live')).toBe(0);
    expect(sessions.size).toBe(0);
  });

  it('leave a detached place to the code storing the mail: closing the session does not release it', () => {
    const r = new Reservations(new ManualClock());
    const sessions = new SessionReservations();
    sessions.hold('s1', r.take(['live']));
    const storing = sessions.detach('s1');
    sessions.release('s1');
    expect(r.held('live')).toBe(1);
    storing?.release();
    expect(r.held('live')).toBe(0);
  });
});

describe('login lockout with checks in flight', () => {
  const policy = () => ({ failureLimit: 3, windowMs: 10 * 60_000, lockMs: 15 * 60_000 });

  it('lets as many checks run as failures are still allowed, and gives the waiting ones the lockout once they fail', async () => {
    const lockout = new AuthLockout(new ManualClock(), policy);
    const gates = [1, 2, 3, 4, 5].map(() => lockout.begin('192.0.2.1'));
    const first = await Promise.all(gates.slice(0, 3));
    let settled = 0;
    for (const g of gates.slice(3)) g.then(() => settled++);
    await Promise.resolve();
    expect(settled).toBe(0);
    for (const g of first) if ('attempt' in g) g.attempt.failed();
    const rest = await Promise.all(gates.slice(3));
    expect(first.every((g) => 'attempt' in g)).toBe(true);
    expect(rest.every((g) => 'lockedUntil' in g)).toBe(true);
  });

  it('lets a waiting login go ahead when a running check succeeds', async () => {
    const lockout = new AuthLockout(new ManualClock(), policy);
    const running = await Promise.all([1, 2, 3].map(() => lockout.begin('192.0.2.1')));
    const waiting = lockout.begin('192.0.2.1');
    const [ok] = running;
    if (ok && 'attempt' in ok) ok.attempt.done();
    expect('attempt' in (await waiting)).toBe(true);
    expect(lockout.lockedUntil('192.0.2.1')).toBeUndefined();
  });

  it('answers busy when the checks ahead take longer than the wait allows', async () => {
    const lockout = new AuthLockout(new ManualClock(), policy, 20);
    await Promise.all([1, 2, 3].map(() => lockout.begin('192.0.2.1')));
    expect(await lockout.begin('192.0.2.1')).toEqual({ busy: true });
  });

  it('counts each address on its own', async () => {
    const lockout = new AuthLockout(new ManualClock(), policy, 20);
    await Promise.all([1, 2, 3].map(() => lockout.begin('192.0.2.1')));
    expect('attempt' in (await lockout.begin('192.0.2.2'))).toBe(true);
  });
});

describe('connection caps', () => {
  it('admit up to the per-address cap, then name that cap; a closed session frees its place', () => {
    const caps = new ConnectionCaps(() => ({ total: 10, perAddress: 2 }));
    expect(caps.admit('a', '192.0.2.1')).toBeUndefined();
    expect(caps.admit('b', '192.0.2.1')).toBeUndefined();
    expect(caps.admit('c', '192.0.2.1')?.toString()).toMatch(
      /^421 4\.7\.0 Too many connections from 192\.0\.2\.1 \(at most 2 at once\)/,
    );
    expect(caps.admit('d', '192.0.2.2')).toBeUndefined();
    caps.release('a');
    caps.release('a');
    caps.release('c');
    expect(caps.admit('e', '192.0.2.1')).toBeUndefined();
    expect(caps.open).toBe(3);
  });

  it('admit up to the total cap over all addresses', () => {
    const caps = new ConnectionCaps(() => ({ total: 2, perAddress: 5 }));
    caps.admit('a', '192.0.2.1');
    caps.admit('b', '192.0.2.2');
    expect(caps.admit('c', '192.0.2.3')?.toString()).toMatch(
      /^421 4\.7\.0 Relaydesk is serving its limit of 2 connections at once/,
    );
  });
});
