/** A grant of quota: the demo grant of a new install, or a booked block (30 days, may renew). */
export interface QuotaBlock {
  id: string;
  kind: 'demo' | 'block';
  size: number;
  used: number;
  /** Price of the block, in micro-euros (1 € = 1,000,000). */
  priceMicros: number;
  bookedAt: number;
  validFrom: number;
  /** null: never expires (the demo grant). */
  validUntil: number | null;
  autoRenew: boolean;
  state: 'active' | 'expired';
  /** What expired unused at the end (0 while active). */
  expired: number;
}

export interface QuotaSummary {
  /** Quota left in active blocks and the demo grant. */
  remaining: number;
  /** Mails sent beyond the quota in the current billing period: billed at the overage price. */
  overage: number;
  /** remaining − overage: negative when sending has run past zero. */
  balance: number;
  /** On the demo (no active block): at most `demoHourlyLimit` mails an hour. */
  onDemo: boolean;
  demoHourlyLimit: number;
  /** Live mails accepted in the last hour (what the demo limit counts). */
  sentLastHour: number;
  /** When the demo limit refuses mail: the time a slot frees up, else null. */
  rateLimitedUntil: number | null;
  periodStart: number;
  periodEnd: number;
  overagePriceMicros: number;
  blocks: QuotaBlock[];
  /** Block sizes that can be booked, with their prices (micro-euros). */
  offers: { size: number; priceMicros: number }[];
  alert: { threshold: number; adminEmail: string; below: boolean };
  /**
   * Mails billed per day (quota and overage), oldest first, for the last 60 days and today: the
   * calendar days ("2026-06-15") of the time zone asked for (UTC if none).
   */
  usageByDay: { day: string; used: number; overage: number }[];
}

/** One billing period's account: what was booked, used, expired and billed. */
export interface Statement {
  periodStart: number;
  /** Exclusive: the next period starts here. */
  periodEnd: number;
  /** The IANA time zone of the days below (the one asked for, else UTC): the screen and the CSV show these. */
  timeZone: string;
  /** The calendar day the period starts on and the last day it covers ("2026-06-15"). */
  firstDay: string;
  lastDay: string;
  /** The current period is still open: its figures can still grow. */
  open: boolean;
  blocks: {
    id: string;
    size: number;
    priceMicros: number;
    bookedAt: number;
    /** The calendar day of `bookedAt` in `timeZone`. */
    bookedDay: string;
    renewal: boolean;
  }[];
  used: number;
  expired: number;
  overage: number;
  overageMicros: number;
  blocksMicros: number;
  totalMicros: number;
  byConnection: { connectionId: string | null; connectionName: string; used: number; overage: number }[];
}

/** "€0.00095" and "€19.00" from micro-euros: at most 5 decimals, at least 2. */
export function formatEuro(micros: number): string {
  const euros = micros / 1_000_000;
  const text = euros.toFixed(5).replace(/0{1,3}$/, '');
  return `€${text}`;
}
