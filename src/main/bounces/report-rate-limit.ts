import { isIPv4, isIPv6 } from 'node:net';
import type { Clock } from '../engine/clock';

const HOUR_MS = 3_600_000;

/** Upper bound on tracked addresses, so a spray from many addresses cannot grow memory without end. */
const MAX_TRACKED = 10_000;

/**
 * The address a budget belongs to: an IPv4 address, or the /64 network of an IPv6 address —
 * one IPv6 host commonly holds a whole /64, so counting single addresses would count nothing.
 */
export function rateKeyOf(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  if (isIPv4(ip) || !isIPv6(ip) || ip.includes('.')) return ip.toLowerCase();
  const [head = '', tail, ...more] = ip.toLowerCase().split('%')[0]?.split('::') ?? [];
  if (more.length > 0) return ip.toLowerCase();
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

interface Spent {
  /** Reports counted against the budget, paid back evenly over the hour. */
  reports: number;
  at: number;
}

/**
 * How many reports one client address may hand to the bounce listener: `perHour` an hour, paid
 * back evenly over the hour (a leaky bucket). A real mail server that sends a burst of bounces (a
 * list of dead addresses) gets the whole budget at once; a flood is slowed to `perHour` an hour.
 * A changed setting applies at once. Kept in memory, two numbers per address, at most
 * MAX_TRACKED addresses.
 */
export class ReportRateLimit {
  private readonly byAddress = new Map<string, Spent>();

  constructor(
    private readonly clock: Clock,
    private readonly perHour: () => number,
  ) {}

  /** Counts one report against the address's budget; false when it is used up (nothing is counted then). */
  take(ip: string): boolean {
    const address = rateKeyOf(ip);
    const now = this.clock.now();
    const budget = this.perHour();
    const previous = this.byAddress.get(address);
    if (previous) this.byAddress.delete(address);
    else this.prune(now, budget);
    const spent = { reports: previous ? this.remaining(previous, now, budget) : 0, at: now };
    const allowed = spent.reports + 1 <= budget;
    if (allowed) spent.reports += 1;
    // Re-inserted, so the map's order is least recently seen first.
    this.byAddress.set(address, spent);
    return allowed;
  }

  /** Addresses currently tracked (for tests of the bound). */
  get size(): number {
    return this.byAddress.size;
  }

  private remaining(spent: Spent, now: number, budget: number): number {
    return Math.max(0, spent.reports - (Math.max(0, now - spent.at) / HOUR_MS) * budget);
  }

  /** Forgets addresses that owe nothing any more; at the bound, the least recently seen. */
  private prune(now: number, budget: number): void {
    if (this.byAddress.size < MAX_TRACKED) return;
    for (const [address, spent] of this.byAddress) {
      if (this.remaining(spent, now, budget) === 0) this.byAddress.delete(address);
    }
    while (this.byAddress.size >= MAX_TRACKED) {
      const oldest = this.byAddress.keys().next().value;
      if (oldest === undefined) break;
      this.byAddress.delete(oldest);
    }
  }
}
