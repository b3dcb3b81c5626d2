import type { ResultOf } from '@shared/api/contract';
import type { BounceRecord } from '@shared/domain/bounce';
import type { QueueEntry } from '@shared/domain/queue';
import type { SettingKey } from '../config/settings-schema';
import type { ContractCall } from './contract-call';
import {
  BURST_WINDOW_MS,
  NOTICE_POLICY,
  NOTICES_PER_10_MINUTES,
  type NoticeKind,
  STALLED_AFTER_MS,
} from './notice-policy';

export interface Notice {
  kind: NoticeKind;
  /** What the rate limit is kept per within a kind (a recipient domain); none: per kind. */
  subject?: string;
  title: string;
  body: string;
  /** The console page a click opens, as a route fragment without '#' ("/bounces?hard=hard"). */
  route: string;
}

export interface NotifierDeps {
  enabled(setting: SettingKey): boolean;
  now(): number;
  show(notice: Notice): void;
}

const TEN_MINUTES = 10 * 60_000;

/** Decides whether a notice is shown: its switch in Settings, its own rate, and a cap over all kinds. */
export class Notifier {
  private readonly lastShown = new Map<string, number>();
  private recent: number[] = [];

  constructor(private readonly deps: NotifierDeps) {}

  /** Shows the notice unless switched off or too soon; says whether it was shown. */
  offer(notice: Notice): boolean {
    const policy = NOTICE_POLICY[notice.kind];
    if (!this.deps.enabled(policy.setting)) return false;
    const now = this.deps.now();
    const key = `${notice.kind}:${notice.subject ?? ''}`;
    const last = this.lastShown.get(key);
    if (last !== undefined && now - last < policy.everyMs) return false;
    this.recent = this.recent.filter((at) => now - at < TEN_MINUTES);
    // The relay stopping is always worth saying.
    if (notice.kind !== 'relayStopped' && this.recent.length >= NOTICES_PER_10_MINUTES) return false;
    this.lastShown.set(key, now);
    this.recent.push(now);
    this.deps.show(notice);
    return true;
  }
}

/** Counts hard bounces in a sliding 10-minute window and offers a notice when they reach the burst size. */
export class BounceBurstWatcher {
  private hard: { at: number; reason: string }[] = [];

  constructor(
    private readonly notifier: Notifier,
    private readonly burstSize: () => number,
    private readonly now: () => number,
  ) {}

  onBounce(record: BounceRecord): void {
    if (record.kind !== 'bounce' || record.hard !== true) return;
    const now = this.now();
    this.hard = this.hard.filter((b) => now - b.at < BURST_WINDOW_MS);
    this.hard.push({ at: now, reason: record.reason });
    if (this.hard.length < this.burstSize()) return;
    const shown = this.notifier.offer({
      kind: 'bounceBurst',
      title: `Relaydesk: ${this.hard.length} hard bounces in 10 minutes`,
      body: `Most were "${mostCommon(this.hard.map((b) => b.reason))}". A shop may be sending to an old or mistyped address list. Click to see the bounces.`,
      route: '/bounces?hard=hard',
    });
    if (shown) this.hard = [];
  }
}

function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
}

export interface StalledDomain {
  domain: string;
  /** When its oldest deferred mail was accepted. */
  since: number;
  waiting: number;
  lastReply: string;
}

/** Every deferred recipient, page by page, up to `max` (a queue that long has told its story already). */
export async function allDeferred(call: ContractCall, max = 20_000): Promise<QueueEntry[]> {
  const deferred: QueueEntry[] = [];
  let cursor: string | null = null;
  do {
    const page: ResultOf<'queue.list'> = await call('queue.list', {
      status: 'deferred',
      limit: 500,
      ...(cursor ? { cursor } : {}),
    });
    deferred.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && deferred.length < max);
  return deferred;
}

/** Recipient domains whose oldest deferred mail has waited an hour or more, oldest first. */
export function stalledDomains(deferred: QueueEntry[], now: number): StalledDomain[] {
  const byDomain = new Map<string, StalledDomain>();
  for (const e of deferred) {
    if (e.status !== 'deferred') continue;
    const d = byDomain.get(e.domain);
    if (!d)
      byDomain.set(e.domain, { domain: e.domain, since: e.acceptedAt, waiting: 1, lastReply: e.lastReply });
    else {
      d.waiting++;
      if (e.acceptedAt < d.since) {
        d.since = e.acceptedAt;
        d.lastReply = e.lastReply || d.lastReply;
      }
    }
  }
  return [...byDomain.values()]
    .filter((d) => now - d.since >= STALLED_AFTER_MS)
    .sort((a, b) => a.since - b.since);
}

export function stalledNotice(d: StalledDomain, now: number): Notice {
  const hours = Math.floor((now - d.since) / 3_600_000);
  return {
    kind: 'deliveryStalled',
    subject: d.domain,
    title: `Relaydesk: mail to ${d.domain} has waited ${hours === 1 ? 'an hour' : `${hours} hours`}`,
    body: `${d.waiting} deferred. Last answer: ${d.lastReply || 'none yet'}`.slice(0, 250),
    route: `/queue?domain=${encodeURIComponent(d.domain)}&status=deferred`,
  };
}

export function quotaLowNotice(balance: number, threshold: number): Notice {
  return {
    kind: 'quotaLow',
    title: 'Relaydesk: quota low',
    body: `${balance.toLocaleString('en')} mails left (alert below ${threshold.toLocaleString('en')}). Book a block under Quota & Billing.`,
    route: '/quota',
  };
}

export function relayStoppedNotice(reason: string): Notice {
  return {
    kind: 'relayStopped',
    title: 'Relaydesk stopped',
    body: reason.slice(0, 250),
    route: '/',
  };
}
