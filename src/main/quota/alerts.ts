import { formatTime } from '@shared/domain/format';
import type { EngineContext } from '../engine/context';
import { sendSystemMail } from '../notify/system-mail';
import type { QuotaLedger } from './ledger';

const BELOW = 'quota.alert.below';
const KEY = 'quota:alert';

/**
 * The low-quota alert: when the balance falls below the threshold, one mail to the admin and a
 * `quota.alert` event (console banner, desktop notification) — once per crossing; it re-arms only
 * when the balance is back at or above the threshold.
 */
export class QuotaAlerts {
  constructor(
    private readonly ctx: EngineContext,
    private readonly ledger: QuotaLedger,
  ) {}

  /** Checks the balance against the threshold; never rejects (a failure is reported and retried with the next mail). */
  async check(): Promise<void> {
    try {
      await this.checkNow();
      this.ctx.health.clear(KEY);
    } catch (err) {
      this.ctx.health.report(
        'quota',
        err,
        'The low-quota check runs again with the next mail; check alerts.adminEmail if the alert mail failed.',
        KEY,
      );
    }
  }

  private async checkNow(): Promise<void> {
    const { settings, store, events, log, clock } = this.ctx;
    const threshold = settings.get('quota.alertThreshold');
    if (threshold <= 0) return;
    const now = clock.now();
    const balance = this.ledger.balance(now);
    const below = store.quota.state(BELOW) === '1';
    if (balance >= threshold) {
      if (below) store.quota.setState(BELOW, '0');
      return;
    }
    if (below) return;
    store.quota.setState(BELOW, '1');
    log.warn('quota-low', { balance, threshold });
    events.emit('quota.alert', { balance, threshold, at: now });
    const to = settings.get('alerts.adminEmail');
    if (!to) return;
    const { periodEnd, onDemo } = this.ledger.summary(now);
    await sendSystemMail(this.ctx, {
      to,
      subject: `Relaydesk: ${balance < 0 ? 'quota used up' : 'quota low'} (${balance.toLocaleString('en')} mails left)`,
      text: [
        `The remaining transactional mail quota of this Relaydesk is ${balance.toLocaleString('en')} mails, below your alert threshold of ${threshold.toLocaleString('en')}.`,
        '',
        balance < 0
          ? 'Sending goes on: mail beyond the quota is billed at the overage price on the next statement.'
          : 'Sending goes on; past zero, mail is billed at the overage price on the next statement.',
        onDemo ? 'This install is on the demo quota: book a block to lift the hourly limit.' : '',
        `The current billing period ends ${formatTime(periodEnd)}.`,
        '',
        'Book a block under Quota & Billing in Relaydesk. This alert comes again only after the quota has risen above the threshold and fallen below it again.',
      ]
        .filter((l, i, all) => l !== '' || all[i - 1] !== '')
        .join('\n'),
    });
  }
}
