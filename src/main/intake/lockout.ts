import type { Clock } from '../engine/clock';

export interface LockoutPolicy {
  failureLimit: number;
  windowMs: number;
  lockMs: number;
}

/** A password check that has been let through; finish it once (later calls do nothing). */
export interface LoginAttempt {
  /** The password was wrong; returns the lock end when this failure locked the address out. */
  failed(): number | undefined;
  /** The login succeeded, or the check could not be made: it does not count as a failure. */
  done(): void;
}

export type LoginGate =
  | { attempt: LoginAttempt }
  /** Locked out until then. */
  | { lockedUntil: number }
  /** Waited `maxWaitMs` for the checks ahead of it to finish. */
  | { busy: true };

interface Waiter {
  settle(gate: LoginGate): void;
}

interface Record_ {
  failures: number[];
  lockedUntil: number;
  /** Password checks running now. */
  checking: number;
  /** Logins waiting for a running check to finish, first come first served. */
  waiting: Waiter[];
}

/** Upper bound on tracked addresses, so a spray of failed logins cannot grow memory without end. */
const MAX_TRACKED = 10_000;

/**
 * Brute-force protection: `failureLimit` failed logins from one IP within `windowMs` lock that
 * IP out for `lockMs`. A check that is still running counts against the limit: once failures
 * and running checks reach it, a further login from that address waits until a running check
 * ends — then it gets the lockout answer if that check locked the address, or its own check
 * if not. So at most `failureLimit` passwords of one address are checked per window however
 * many logins arrive at once, and parallel logins of a client with the right password are only
 * delayed. Kept in memory: a restart forgives, which is the usual trade-off.
 */
export class AuthLockout {
  private readonly byIp = new Map<string, Record_>();

  constructor(
    private readonly clock: Clock,
    private readonly policy: () => LockoutPolicy,
    /**
     * Longest wait for a slot. A waiting login goes ahead as soon as a check ends, and checks
     * run 4 at a time in libuv's pool, so on a loaded machine 40 logins at once can wait
     * several seconds; this only guards against a check that never ends.
     */
    private readonly maxWaitMs = 60_000,
  ) {}

  /** When the IP is locked out, the time the lock ends. */
  lockedUntil(ip: string): number | undefined {
    const r = this.byIp.get(ip);
    if (!r) return undefined;
    return r.lockedUntil > this.clock.now() ? r.lockedUntil : undefined;
  }

  /**
   * Lets a password check start, or says why not. A slot is taken synchronously, so parallel
   * logins are counted one by one; a login that finds none waits for a running check to end.
   */
  begin(ip: string): Promise<LoginGate> {
    const gate = this.tryBegin(ip);
    if (gate) return Promise.resolve(gate);
    const r = this.record(ip);
    return new Promise<LoginGate>((resolve) => {
      const waiter: Waiter = {
        settle: (g) => {
          clearTimeout(timer);
          resolve(g);
        },
      };
      const timer = setTimeout(() => {
        r.waiting = r.waiting.filter((w) => w !== waiter);
        resolve({ busy: true });
      }, this.maxWaitMs);
      timer.unref();
      r.waiting.push(waiter);
    });
  }

  /** Records a failed login; returns the lock end when this failure locked the IP out. */
  recordFailure(ip: string): number | undefined {
    const now = this.clock.now();
    const { failureLimit, windowMs, lockMs } = this.policy();
    const r = this.record(ip);
    r.failures = r.failures.filter((t) => now - t < windowMs);
    r.failures.push(now);
    if (r.failures.length >= failureLimit) {
      r.lockedUntil = now + lockMs;
      r.failures = [];
      return r.lockedUntil;
    }
    return undefined;
  }

  /** A gate now, or undefined when failures and running checks already reach the limit. */
  private tryBegin(ip: string): LoginGate | undefined {
    const until = this.lockedUntil(ip);
    if (until) return { lockedUntil: until };
    const now = this.clock.now();
    const { failureLimit, windowMs } = this.policy();
    const r = this.record(ip);
    r.failures = r.failures.filter((t) => now - t < windowMs);
    if (r.failures.length + r.checking >= failureLimit) return undefined;
    r.checking++;
    let finished = false;
    const finish = () => {
      if (finished) return false;
      finished = true;
      r.checking--;
      return true;
    };
    return {
      attempt: {
        failed: () => {
          if (!finish()) return undefined;
          const locked = this.recordFailure(ip);
          this.wake(ip, r);
          return locked;
        },
        done: () => {
          if (finish()) this.wake(ip, r);
        },
      },
    };
  }

  /** A check ended: waiting logins go ahead, in order, for as long as there is room or a lock. */
  private wake(ip: string, r: Record_): void {
    while (r.waiting.length > 0) {
      const gate = this.tryBegin(ip);
      if (!gate) return;
      r.waiting.shift()?.settle(gate);
    }
  }

  private record(ip: string): Record_ {
    let r = this.byIp.get(ip);
    if (!r) {
      this.prune();
      r = { failures: [], lockedUntil: 0, checking: 0, waiting: [] };
      this.byIp.set(ip, r);
    }
    return r;
  }

  private prune(): void {
    if (this.byIp.size < MAX_TRACKED) return;
    const now = this.clock.now();
    const { windowMs } = this.policy();
    const idle = (r: Record_) => r.checking === 0 && r.waiting.length === 0;
    for (const [ip, r] of this.byIp) {
      if (idle(r) && r.lockedUntil <= now && r.failures.every((t) => now - t >= windowMs))
        this.byIp.delete(ip);
    }
    if (this.byIp.size < MAX_TRACKED) return;
    for (const [ip, r] of this.byIp) {
      if (!idle(r)) continue;
      this.byIp.delete(ip);
      return;
    }
  }
}
