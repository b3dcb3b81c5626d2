import type { Clock } from '../engine/clock';

export interface LockoutPolicy {
  failureLimit: number;
  windowMs: number;
  lockMs: number;
}

interface Record_ {
  failures: number[];
  lockedUntil: number;
}

/** Upper bound on tracked addresses, so a spray of failed logins cannot grow memory without end. */
const MAX_TRACKED = 10_000;

/**
 * Brute-force protection: `failureLimit` failed logins from one IP within `windowMs` lock that
 * IP out for `lockMs`. Kept in memory: a restart forgives, which is the usual trade-off.
 */
export class AuthLockout {
  private readonly byIp = new Map<string, Record_>();

  constructor(
    private readonly clock: Clock,
    private readonly policy: () => LockoutPolicy,
  ) {}

  /** When the IP is locked out, the time the lock ends. */
  lockedUntil(ip: string): number | undefined {
    const r = this.byIp.get(ip);
    if (!r) return undefined;
    return r.lockedUntil > this.clock.now() ? r.lockedUntil : undefined;
  }

  /** Records a failed login; returns the lock end when this failure locked the IP out. */
  recordFailure(ip: string): number | undefined {
    const now = this.clock.now();
    const { failureLimit, windowMs, lockMs } = this.policy();
    let r = this.byIp.get(ip);
    if (!r) {
      this.prune(now, windowMs);
      r = { failures: [], lockedUntil: 0 };
      this.byIp.set(ip, r);
    }
    r.failures = r.failures.filter((t) => now - t < windowMs);
    r.failures.push(now);
    if (r.failures.length >= failureLimit) {
      r.lockedUntil = now + lockMs;
      r.failures = [];
      return r.lockedUntil;
    }
    return undefined;
  }

  private prune(now: number, windowMs: number): void {
    if (this.byIp.size < MAX_TRACKED) return;
    for (const [ip, r] of this.byIp) {
      if (r.lockedUntil <= now && r.failures.every((t) => now - t >= windowMs)) this.byIp.delete(ip);
    }
    if (this.byIp.size >= MAX_TRACKED) {
      const oldest = this.byIp.keys().next().value;
      if (oldest !== undefined) this.byIp.delete(oldest);
    }
  }
}
