import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RECIPIENT_STATUSES, type RecipientStatus } from '@shared/domain/message';
import { allows, FINAL_STATES, LIFECYCLE, type LifecycleEvent } from '@shared/domain/recipient-lifecycle';
import { describe, expect, it } from 'vitest';

const events = Object.keys(LIFECYCLE) as LifecycleEvent[];

describe('the recipient lifecycle', () => {
  it('reaches every status from queued or captured, the states intake writes', () => {
    const reached = new Set<RecipientStatus>(['queued', 'captured']);
    for (let grew = true; grew; ) {
      grew = false;
      for (const e of events) {
        const t = LIFECYCLE[e];
        if (t.from.some((f) => reached.has(f)) && !reached.has(t.to)) {
          reached.add(t.to);
          grew = true;
        }
      }
    }
    expect([...reached].sort()).toEqual([...RECIPIENT_STATUSES].sort());
  });

  it('lets only a bounce report or a complaint move a settled recipient, and only a delivered one', () => {
    for (const e of events) {
      const leavesFinal = LIFECYCLE[e].from.filter((f) => FINAL_STATES.includes(f));
      if (e === 'reportBounced' || e === 'complained') expect(leavesFinal).toEqual(['delivered']);
      else expect(leavesFinal, e).toEqual([]);
    }
  });

  it('refuses a worker outcome unless the recipient is being sent, and a report after expiry or cancel', () => {
    for (const e of ['delivered', 'deferred', 'bounced', 'expired'] as const) {
      expect(RECIPIENT_STATUSES.filter((s) => allows(e, s))).toEqual(['sending']);
    }
    for (const s of ['expired', 'cancelled', 'bounced', 'complained', 'captured', 'queued'] as const)
      expect(allows('reportBounced', s), s).toBe(false);
    expect(allows('reportBounced', 'sending')).toBe(true);
    expect(allows('cancel', 'sending')).toBe(false);
  });

  it('says why each transition exists, and names its event row', () => {
    for (const e of events) {
      expect(LIFECYCLE[e].why.length, e).toBeGreaterThan(20);
      expect(LIFECYCLE[e].event, e).toMatch(/^[a-z-]+$/);
    }
  });
});

describe('the transition table in docs/architecture.md', () => {
  it('is the table in the code, row for row', () => {
    const doc = readFileSync(resolve(__dirname, '../../docs/architecture.md'), 'utf8');
    const rows = [...doc.matchAll(/^ {2}\| `(\w+)` \(`([\w-]+)`\) \| ([^|]*) \| `(\w+)` \| (.*) \|$/gm)].map(
      (m) => ({
        event: m[1],
        row: m[2],
        from: [...(m[3] ?? '').matchAll(/`(\w+)`/g)].map((f) => f[1]),
        to: m[4],
        why: m[5],
      }),
    );
    expect(rows).toEqual(
      events.map((e) => ({
        event: e,
        row: LIFECYCLE[e].event,
        from: [...LIFECYCLE[e].from],
        to: LIFECYCLE[e].to,
        why: LIFECYCLE[e].why,
      })),
    );
  });
});
