import { describe, expect, it } from 'vitest';
import { SessionWatch, type Timers } from '../../src/main/intake/session-watch';
import type { SmtpReply } from '../../src/main/intake/smtp-reply';

/** Timers driven by hand: `advance` runs what falls due. */
function manualTimers() {
  let now = 0;
  let next = 0;
  const due = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = next++;
      due.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (id) => due.delete(id as number),
  };
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      const first = [...due.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      if (!first || first[1].at > until) break;
      due.delete(first[0]);
      now = first[1].at;
      first[1].fn();
    }
    now = until;
  };
  return { timers, advance };
}

const policy = {
  commandMs: 2_000,
  dataHeadStartMs: 2_000,
  minDataBytesPerSecond: 1_000,
  unauthenticatedCommands: 3,
};

function watch() {
  const { timers, advance } = manualTimers();
  const violations: SmtpReply[] = [];
  const w = new SessionWatch(policy, (r) => violations.push(r), timers);
  return { w, advance, violations };
}

describe('session pace', () => {
  it('gives a client the command time from each reply to its complete next command', () => {
    const { w, advance, violations } = watch();
    w.replied(220);
    advance(1_999);
    w.command(true);
    advance(5_000);
    expect(violations).toHaveLength(0);
    w.replied(250);
    advance(2_000);
    expect(violations.map(String)).toEqual([
      '421 4.4.2 No complete command within 2 seconds of the last reply; closing the connection, connect again and send each command without pausing',
    ]);
  });

  it('runs no deadline while Relaydesk owes the reply', () => {
    const { w, advance, violations } = watch();
    w.replied(354);
    w.dataReceived(100);
    w.dataEnded();
    advance(60_000);
    expect(violations).toHaveLength(0);
  });

  it('lets DATA take the head start plus one second per minimum-rate bytes, and no longer', () => {
    const { w, advance, violations } = watch();
    w.replied(354);
    advance(1_900);
    w.dataReceived(1_000); // buys one more second: the deadline is now 3 s
    advance(1_000);
    expect(violations).toHaveLength(0);
    advance(100);
    expect(violations).toHaveLength(1);
    expect(String(violations[0])).toMatch(
      /^421 4\.4\.2 The mail came in too slowly \(1000 bytes in 3 seconds/,
    );
  });

  it('stops for good at 221 and 421', () => {
    const { w, advance, violations } = watch();
    w.replied(221);
    w.replied(250);
    advance(10_000);
    expect(violations).toHaveLength(0);
  });

  it('counts commands before login and refuses the one past the budget', () => {
    const { w } = watch();
    expect([w.command(false), w.command(false), w.command(false)]).toEqual([undefined, undefined, undefined]);
    expect(w.command(true)).toBeUndefined();
    expect(String(w.command(false))).toMatch(
      /^421 4\.7\.0 Too many commands: at most 3 commands without logging in/,
    );
  });
});
