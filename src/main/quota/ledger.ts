import { randomBytes } from 'node:crypto';
import { AppError } from '@shared/api/errors';
import type { QuotaSummary, Statement } from '@shared/domain/quota';
import {
  DEFAULT_TIME_ZONE,
  daysBetween,
  formatCalendarDay,
  isoDay,
  startOfDay,
  startOfNextDay,
} from '@shared/domain/time-zone';
import { parseBlockPrices, parseEuroMicros } from '../config/settings-schema';
import type { EngineContext } from '../engine/context';
import type { StoredBlock } from '../store/quota-repo';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface Charge {
  recipientId: number;
  connectionId: string | null;
  at: number;
}

/**
 * The quota of the original service (SPEC "Quota and billing"): a demo grant, blocks of 30 days
 * that renew and whose unused rest expires, one charge per sent recipient (bounces included),
 * and past zero an overage billed on the next statement. Time comes from the injected clock.
 */
export class QuotaLedger {
  constructor(private readonly ctx: EngineContext) {}

  private get repo() {
    return this.ctx.store.quota;
  }

  private blockDays(): number {
    return this.ctx.settings.get('quota.blockDays') * DAY_MS;
  }

  /** A new install gets its demo grant, once. */
  init(now: number): void {
    if (this.repo.blocks().length > 0) return;
    const size = this.ctx.settings.get('quota.demoGrant');
    const id = `q${randomBytes(6).toString('hex')}`;
    this.ctx.store.db.transaction(() => {
      this.repo.insertBlock({
        id,
        kind: 'demo',
        size,
        used: 0,
        priceMicros: 0,
        bookedAt: now,
        validFrom: now,
        validUntil: null,
        autoRenew: false,
        state: 'active',
        expired: 0,
        renewedFrom: null,
      });
      this.repo.addEntry({
        at: now,
        kind: 'grant',
        amount: size,
        blockId: id,
        recipientId: null,
        connectionId: null,
        priceMicros: 0,
        note: 'demo quota',
      });
    })();
  }

  /** Billing periods are 30 days from the install's first day. */
  period(at: number): { start: number; end: number } {
    const epoch = this.repo.firstGrantAt() ?? at;
    const length = 30 * DAY_MS;
    const index = Math.max(0, Math.floor((at - epoch) / length));
    return { start: epoch + index * length, end: epoch + (index + 1) * length };
  }

  offers(): { size: number; priceMicros: number }[] {
    return parseBlockPrices(this.ctx.settings.get('quota.blockPrices')) ?? [];
  }

  /** Expires what is due, at the moment it was due, and books the renewals that follow. */
  settle(now: number): void {
    // Read on every status and charge: one indexed look, no transaction, while nothing is due.
    if (!this.repo.dueBlock(now)) return;
    this.ctx.store.db.transaction(() => {
      for (;;) {
        const due = this.repo.dueBlock(now);
        if (!due || due.validUntil === null) break;
        const rest = due.size - due.used;
        this.repo.expire(due.id, Math.max(0, rest));
        if (rest > 0) {
          this.repo.addEntry({
            at: due.validUntil,
            kind: 'expiry',
            amount: -rest,
            blockId: due.id,
            recipientId: null,
            connectionId: null,
            priceMicros: 0,
            note: 'unused quota expired',
          });
        }
        this.ctx.log.info('quota-block-ended', {
          block: due.id,
          expired: Math.max(0, rest),
          renew: due.autoRenew,
        });
        if (due.autoRenew) this.insertBlock(due.size, due.priceMicros, due.validUntil, true, due.id);
      }
    })();
  }

  private insertBlock(
    size: number,
    priceMicros: number,
    from: number,
    autoRenew: boolean,
    renewedFrom: string | null,
  ): StoredBlock {
    const block: StoredBlock = {
      id: `q${randomBytes(6).toString('hex')}`,
      kind: 'block',
      size,
      used: 0,
      priceMicros,
      bookedAt: from,
      validFrom: from,
      validUntil: from + this.blockDays(),
      autoRenew,
      state: 'active',
      expired: 0,
      renewedFrom,
    };
    this.repo.insertBlock(block);
    this.repo.addEntry({
      at: from,
      kind: 'booking',
      amount: size,
      blockId: block.id,
      recipientId: null,
      connectionId: null,
      priceMicros,
      note: renewedFrom ? 'renewed' : 'booked',
    });
    return block;
  }

  book(size: number, autoRenew: boolean, now: number): StoredBlock {
    const offer = this.offers().find((o) => o.size === size);
    if (!offer) {
      throw new AppError(
        'invalid_params',
        `There is no block of ${size} mails; book one of ${this.offers()
          .map((o) => o.size)
          .join(', ')}.`,
        {
          size: 'choose one of the offered block sizes',
        },
      );
    }
    this.settle(now);
    const block = this.ctx.store.db.transaction(() =>
      this.insertBlock(offer.size, offer.priceMicros, now, autoRenew, null),
    )();
    this.ctx.log.info('quota-block-booked', { block: block.id, size, autoRenew });
    return block;
  }

  setAutoRenew(blockId: string, autoRenew: boolean): void {
    const block = this.repo.block(blockId);
    if (block?.kind !== 'block') throw new AppError('not_found', `There is no block ${blockId}.`);
    if (block.state !== 'active')
      throw new AppError('conflict', 'This block has ended; only an active block can change auto-renew.');
    this.repo.setAutoRenew(blockId, autoRenew);
  }

  /**
   * Charges sent recipients: each to the active grant that ends first, past zero to overage at
   * today's price. Run inside the transaction that records the delivery, so a charge and its
   * outcome are stored together; a recipient is never charged twice.
   */
  charge(charges: Charge[]): void {
    if (charges.length === 0) return;
    this.settle(Math.max(...charges.map((c) => c.at)));
    const price = parseEuroMicros(this.ctx.settings.get('quota.overagePrice')) ?? 0;
    const grants = this.repo.activeInUseOrder();
    for (const c of charges) {
      const grant = grants.find((g) => g.used < g.size);
      const kind = grant ? 'usage' : 'overage';
      const added = this.repo.addEntry({
        at: c.at,
        kind,
        amount: -1,
        blockId: grant?.id ?? null,
        recipientId: c.recipientId,
        connectionId: c.connectionId,
        priceMicros: grant ? 0 : price,
        note: '',
      });
      if (added && grant) {
        this.repo.addUse(grant.id, 1);
        grant.used++;
      }
    }
  }

  /**
   * Books the charges that committed outcomes left in the outbox, each batch in one transaction
   * with its removal from the outbox, so a charge is booked exactly once even if booking fails
   * and is tried again later. Returns how many were booked.
   */
  chargePending(batch = 500): number {
    const { store } = this.ctx;
    let booked = 0;
    for (let pending = store.quota.pendingCharges(batch); pending.length > 0; ) {
      store.db.transaction(() => {
        this.charge(pending);
        store.quota.removePendingCharges(pending.map((c) => c.recipientId));
      })();
      booked += pending.length;
      if (pending.length < batch) break;
      pending = store.quota.pendingCharges(batch);
    }
    return booked;
  }

  /** remaining − overage of the open period. */
  balance(now: number): number {
    this.settle(now);
    const remaining = this.repo.activeInUseOrder().reduce((n, g) => n + g.size - g.used, 0);
    return remaining - this.repo.overageInPeriod(this.period(now).start);
  }

  onDemo(): boolean {
    return !this.repo.activeInUseOrder().some((g) => g.kind === 'block');
  }

  /**
   * When the demo hourly limit is reached: the time a slot frees up; else undefined. `held`:
   * live mails past MAIL FROM and not stored yet, which count as sent now (intake reservations).
   */
  demoLimitedUntil(now: number, held = 0): number | undefined {
    if (!this.onDemo()) return undefined;
    const limit = this.ctx.settings.get('quota.demoHourlyLimit');
    const since = now - HOUR_MS;
    const { messages } = this.ctx.store;
    if (messages.countLiveAcceptedSince(since) + held < limit) return undefined;
    return (messages.oldestLiveAcceptedSince(since) ?? now) + HOUR_MS;
  }

  /** The quota page: `timeZone` sets the days of the daily usage (the last 60 and today). */
  summary(now: number, timeZone: string = DEFAULT_TIME_ZONE): QuotaSummary {
    this.settle(now);
    const { start, end } = this.period(now);
    const blocks = this.repo.blocks();
    const remaining = blocks.filter((b) => b.state === 'active').reduce((n, g) => n + g.size - g.used, 0);
    const overage = this.repo.overageInPeriod(start);
    const days = daysBetween(
      timeZone,
      startOfDay(timeZone, now - 60 * DAY_MS),
      startOfNextDay(timeZone, now),
    );
    const usage = this.repo.usageBetween(days[0]?.start ?? now, days[days.length - 1]?.end ?? now);
    let next = 0;
    const usageByDay = days.map((d) => {
      const sum = { day: formatCalendarDay(d.day), used: 0, overage: 0 };
      for (; next < usage.length && (usage[next]?.bucket ?? 0) < d.end; next++) {
        sum.used += usage[next]?.used ?? 0;
        sum.overage += usage[next]?.overage ?? 0;
      }
      return sum;
    });
    const { settings } = this.ctx;
    return {
      remaining,
      overage,
      balance: remaining - overage,
      onDemo: this.onDemo(),
      demoHourlyLimit: settings.get('quota.demoHourlyLimit'),
      sentLastHour: this.ctx.store.messages.countLiveAcceptedSince(now - HOUR_MS),
      rateLimitedUntil: this.demoLimitedUntil(now) ?? null,
      periodStart: start,
      periodEnd: end,
      overagePriceMicros: parseEuroMicros(settings.get('quota.overagePrice')) ?? 0,
      blocks: blocks.map(({ renewedFrom: _, ...b }) => b).reverse(),
      offers: this.offers(),
      alert: {
        threshold: settings.get('quota.alertThreshold'),
        adminEmail: settings.get('alerts.adminEmail'),
        below: this.repo.state('quota.alert.below') === '1',
      },
      usageByDay,
    };
  }

  /** Every billing period from the first to the current one, newest first; dates in `timeZone`. */
  statements(now: number, timeZone: string = DEFAULT_TIME_ZONE): Statement[] {
    this.settle(now);
    const epoch = this.repo.firstGrantAt() ?? now;
    const blocks = this.repo.blocks().filter((b) => b.kind === 'block');
    const out: Statement[] = [];
    for (let start = epoch; start <= now; start += 30 * DAY_MS) {
      const end = start + 30 * DAY_MS;
      const totals = new Map(this.repo.totalsBetween(start, end).map((t) => [t.kind, t]));
      const booked = blocks
        .filter((b) => b.bookedAt >= start && b.bookedAt < end)
        .map((b) => ({
          id: b.id,
          size: b.size,
          priceMicros: b.priceMicros,
          bookedAt: b.bookedAt,
          bookedDay: isoDay(timeZone, b.bookedAt),
          renewal: b.renewedFrom !== null,
        }));
      const blocksMicros = booked.reduce((n, b) => n + b.priceMicros, 0);
      const overageMicros = totals.get('overage')?.micros ?? 0;
      out.push({
        periodStart: start,
        periodEnd: end,
        timeZone,
        firstDay: isoDay(timeZone, start),
        lastDay: isoDay(timeZone, end - 1),
        open: now < end,
        blocks: booked,
        used: totals.get('usage')?.count ?? 0,
        expired: Math.abs(totals.get('expiry')?.amount ?? 0),
        overage: totals.get('overage')?.count ?? 0,
        overageMicros,
        blocksMicros,
        totalMicros: blocksMicros + overageMicros,
        byConnection: this.repo.usageByConnection(start, end).map((c) => ({
          connectionId: c.connectionId,
          connectionName: c.name ?? (c.connectionId ? '(deleted connection)' : 'Relaydesk'),
          used: c.used,
          overage: c.overage,
        })),
      });
    }
    return out.reverse();
  }
}
