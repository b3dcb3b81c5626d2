import type { SettingKey } from '../config/settings-schema';

/** The desktop notifications Relaydesk shows. */
export type NoticeKind = 'bounceBurst' | 'deliveryStalled' | 'relayStopped' | 'quotaLow';

export interface NoticePolicy {
  /** The setting that switches it on or off. */
  setting: SettingKey;
  /** At most one per this long (per subject, e.g. per recipient domain). */
  everyMs: number;
}

const MINUTE = 60_000;

/** Policy as data: which setting switches each notification, and how often it may come. */
export const NOTICE_POLICY: Record<NoticeKind, NoticePolicy> = {
  bounceBurst: { setting: 'notify.bounceBurst', everyMs: 30 * MINUTE },
  deliveryStalled: { setting: 'notify.deliveryStalled', everyMs: 6 * 60 * MINUTE },
  relayStopped: { setting: 'notify.relayStopped', everyMs: 0 },
  // The quota alert itself comes once per crossing; this only stops a flapping balance.
  quotaLow: { setting: 'notify.quotaLow', everyMs: 60 * MINUTE },
};

/** Whatever the kinds, no more than this many notifications in ten minutes. */
export const NOTICES_PER_10_MINUTES = 5;

/** A burst: this many hard bounces (notify.bounceBurstCount) within this window. */
export const BURST_WINDOW_MS = 10 * MINUTE;
/** A domain counts as stalled once its oldest deferred mail has waited this long. */
export const STALLED_AFTER_MS = 60 * MINUTE;
/** How often the queue is looked at for stalled domains. */
export const STALL_CHECK_EVERY_MS = 5 * MINUTE;
