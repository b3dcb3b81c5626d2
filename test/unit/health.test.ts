import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/main/engine/clock';
import { Health } from '../../src/main/engine/health';
import { installLastResort } from '../../src/main/engine/last-resort';
import { lineLogger } from '../../src/main/engine/logger';

function health() {
  const clock = new ManualClock();
  const lines: string[] = [];
  return {
    clock,
    lines,
    health: new Health(
      clock,
      lineLogger((l) => lines.push(l)),
    ),
  };
}

describe('the health registry', () => {
  it('logs a recurring failure once a minute with the count, and once when it recovers', () => {
    const { clock, lines, health: h } = health();
    for (let i = 0; i < 100; i++) {
      h.report(
        'delivery',
        Object.assign(new Error('disk full'), { code: 'ENOSPC' }),
        'Free space.',
        'delivery:store',
      );
      clock.advance(1_000);
    }
    expect(lines.filter((l) => l.includes('delivery-failed'))).toHaveLength(2);
    expect(lines[1]).toMatch(/repeats=61/);
    expect(h.list()).toEqual([
      expect.objectContaining({ key: 'delivery:store', code: 'ENOSPC', count: 100, nextStep: 'Free space.' }),
    ]);
    h.clear('delivery:store');
    expect(h.list()).toEqual([]);
    expect(lines.at(-1)).toMatch(/ info recovered area=delivery key=delivery:store failures=100$/);
  });

  it('calls the fatal listeners once for a store error that waiting cannot cure, and not for a full disk', () => {
    const { health: h } = health();
    const fatal: unknown[] = [];
    h.onFatal((e) => fatal.push(e));
    h.report('store', Object.assign(new Error('full'), { code: 'SQLITE_FULL' }), 'x');
    expect(fatal).toEqual([]);
    const corrupt = Object.assign(new Error('malformed'), { code: 'SQLITE_CORRUPT' });
    h.report('delivery', corrupt, 'x');
    h.report('delivery', corrupt, 'x');
    expect(fatal).toEqual([corrupt]);
  });

  it('turns an exception that escaped every handler into a reported problem instead of an exit', () => {
    const { lines, health: h } = health();
    const uninstall = installLastResort(
      h,
      lineLogger((l) => lines.push(l)),
    );
    try {
      process.emit('uncaughtException', new Error('escaped from a timer'));
    } finally {
      uninstall();
    }
    expect(h.list()).toEqual([
      expect.objectContaining({ key: 'relay:escaped', message: 'escaped from a timer' }),
    ]);
    expect(lines.some((l) => l.includes('uncaught-exception'))).toBe(true);
  });
});
