import { describe, expect, it } from 'vitest';
import { ReportRateLimit, rateKeyOf } from '../../src/main/bounces/report-rate-limit';
import { ManualClock } from '../../src/main/engine/clock';

const MINUTE = 60_000;

describe('the bounce listener rate limit', () => {
  it('lets a burst of the hourly budget through, then refuses until the hour pays it back', () => {
    const clock = new ManualClock();
    const limit = new ReportRateLimit(clock, () => 4);
    expect([1, 2, 3, 4, 5].map(() => limit.take('192.0.2.1'))).toEqual([true, true, true, true, false]);
    expect(limit.take('192.0.2.2')).toBe(true);
    clock.advance(15 * MINUTE);
    expect([limit.take('192.0.2.1'), limit.take('192.0.2.1')]).toEqual([true, false]);
    clock.advance(60 * MINUTE);
    expect([1, 2, 3, 4, 5].map(() => limit.take('192.0.2.1'))).toEqual([true, true, true, true, false]);
  });

  it('applies a changed budget at once', () => {
    let budget = 2;
    const limit = new ReportRateLimit(new ManualClock(), () => budget);
    expect([limit.take('192.0.2.1'), limit.take('192.0.2.1'), limit.take('192.0.2.1')]).toEqual([
      true,
      true,
      false,
    ]);
    budget = 3;
    expect([limit.take('192.0.2.1'), limit.take('192.0.2.1')]).toEqual([true, false]);
  });

  it('counts an IPv6 /64 as one address, and an IPv4-mapped address as its IPv4 address', () => {
    expect(rateKeyOf('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(rateKeyOf('2001:0db8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(rateKeyOf('2001:db8::5')).toBe('2001:db8:0:0::/64');
    expect(rateKeyOf('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(rateKeyOf('192.0.2.7')).toBe('192.0.2.7');
    const limit = new ReportRateLimit(new ManualClock(), () => 1);
    expect(limit.take('2001:db8:1:2::1')).toBe(true);
    expect(limit.take('2001:db8:1:2::99')).toBe(false);
    expect(limit.take('2001:db8:1:3::1')).toBe(true);
  });

  it('tracks at most 10 000 addresses however many send', () => {
    const limit = new ReportRateLimit(new ManualClock(), () => 120);
    for (let i = 0; i < 25_000; i++) limit.take(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    expect(limit.size).toBeLessThanOrEqual(10_000);
  });
});
