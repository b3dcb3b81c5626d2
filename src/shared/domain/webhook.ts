/** Delivery events a webhook endpoint can receive (`test` is only sent by webhooks.sendTest). */
export const WEBHOOK_EVENT_TYPES = ['delivered', 'deferred', 'bounced', 'expired', 'complained'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * A recipient gets at most one of each of these per endpoint: `delivered`, `bounced`, `expired` or
 * `complained` settles it. `deferred` may come once per failed attempt. A bounce report or a
 * complaint that arrives after `delivered` is a new fact and comes as its own final event.
 */
export const FINAL_WEBHOOK_EVENTS: readonly WebhookEventType[] = [
  'delivered',
  'bounced',
  'expired',
  'complained',
];

/**
 * Waits before each retry of an event the receiver did not take (any answer but 2xx, a timeout,
 * a refused connection): then every 2 hours until WEBHOOK_LIFETIME_MS after the event, when
 * Relaydesk gives up and marks it failed.
 */
export const WEBHOOK_RETRY_SCHEDULE_MS: readonly number[] = [
  30_000,
  2 * 60_000,
  10 * 60_000,
  30 * 60_000,
  60 * 60_000,
  2 * 60 * 60_000,
];
export const WEBHOOK_LIFETIME_MS = 24 * 60 * 60_000;
/** A receiver has this long to answer (headers and body). */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** Attempts kept per endpoint in its delivery history (older ones are dropped). */
export const WEBHOOK_HISTORY_LIMIT = 200;
/** Endpoints a connection may have. */
export const WEBHOOK_ENDPOINTS_PER_CONNECTION = 10;

/**
 * When the next attempt is due after `attempts` failed ones (the last one at `now`), or null to
 * give up: the last attempt is made 24 hours after the event.
 */
export function nextWebhookAttempt(attempts: number, occurredAt: number, now: number): number | null {
  const schedule = WEBHOOK_RETRY_SCHEDULE_MS;
  const end = occurredAt + WEBHOOK_LIFETIME_MS;
  if (now >= end) return null;
  const wait = schedule[Math.max(1, Math.min(attempts, schedule.length)) - 1] ?? 30_000;
  return Math.min(now + wait, end);
}

/** One endpoint of a connection, as the console sees it (never the secret). */
export interface WebhookEndpoint {
  id: string;
  connectionId: string;
  url: string;
  enabled: boolean;
  eventTypes: WebhookEventType[];
  createdAt: number;
  secretRotatedAt: number;
  /** Events waiting to be sent or retried. */
  pending: number;
  /** Events given up after 24 hours of retries. */
  failed: number;
  lastAttempt: WebhookAttempt | null;
}

/** The signing secret, returned once by webhooks.create and webhooks.rotateSecret. */
export interface WebhookSecret {
  endpoint: WebhookEndpoint;
  secret: string;
}

export type WebhookAttemptOutcome = 'delivered' | 'retrying' | 'failed' | 'test';

/** One POST to an endpoint: the delivery history. */
export interface WebhookAttempt {
  id: number;
  endpointId: string;
  eventId: string;
  type: WebhookEventType | 'test';
  at: number;
  /** The receiver's HTTP status, or null when none came (timeout, refused, TLS error). */
  statusCode: number | null;
  /** Why it did not count as received, in words; empty for a 2xx. */
  error: string;
  durationMs: number;
  /** delivered: 2xx; retrying: tried again later; failed: given up; test: a test event (never retried). */
  outcome: WebhookAttemptOutcome;
}

/** The JSON body POSTed to an endpoint. */
export interface WebhookEventBody {
  id: string;
  type: WebhookEventType | 'test';
  /** ISO 8601 time of the status change. */
  occurredAt: string;
  connection: { id: string; name: string };
  message: { id: string; messageId: string; subject?: string };
  recipient: string;
  /** bounced/complained: the reason from the bounce taxonomy (userunknown, mailboxfull, feedback, …). */
  reason?: string;
  /** bounced: a hard (permanent) or soft bounce. */
  hard?: boolean;
  /** Enhanced status code, e.g. 5.1.1. */
  status?: string;
  /** The remote server's last reply. */
  reply?: string;
  /** Delivery attempts so far. */
  attempts?: number;
}

/**
 * What is wrong with a webhook URL, or undefined: http or https only, a host name, no user name
 * or password in it (they would travel in clear and be shown in the console), no fragment.
 */
export function webhookUrlProblem(value: string): string | undefined {
  const v = value.trim();
  if (v.length === 0)
    return 'enter the address that receives the events, e.g. https://shop.example/hooks/mail';
  if (v.length > 2000) return 'must be at most 2,000 characters';
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return 'must be a full http:// or https:// address, e.g. https://shop.example/hooks/mail';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return 'must start with https:// (or http:// for a receiver on your own network)';
  if (!url.hostname) return 'the address needs a host name';
  if (url.username || url.password)
    return 'must not contain a user name or password; check the Relaydesk-Signature header instead';
  if (url.hash) return 'must not contain a #fragment';
  if (/[\s<>"]/.test(v)) return 'must not contain spaces, quotes or angle brackets';
  return undefined;
}
