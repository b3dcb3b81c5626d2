import { randomBytes } from 'node:crypto';
import { AppError } from '@shared/api/errors';
import {
  nextWebhookAttempt,
  WEBHOOK_HISTORY_LIMIT,
  WEBHOOK_TIMEOUT_MS,
  type WebhookAttempt,
  type WebhookEventBody,
} from '@shared/domain/webhook';
import type { SecretBox } from '../config/secret-box';
import type { EngineContext } from '../engine/context';
import type { OutboxEntry, WebhookEndpointRecord } from '../store/webhooks-repo';
import { eventBody, testEventBody } from './webhook-event-body';
import { postEvent } from './webhook-post';
import { signatureHeader } from './webhook-signature';
import { webhookView } from './webhook-view';

/** Events sent at once, in all and to one endpoint (a slow receiver holds only its own share). */
const MAX_IN_FLIGHT = 8;
const MAX_IN_FLIGHT_PER_ENDPOINT = 2;
/** How often the outbox is read when nothing kicks it; also how soon a moved test clock is noticed. */
const TICK_MS = 1_000;
/** Sent and given-up events stay in the outbox this long after they happened (for dedupe), then go. */
const KEEP_SETTLED_MS = 7 * 86_400_000;
/** After the store failed to take an attempt's result, nothing is sent for this long (real time). */
const PAUSE_AFTER_STORE_FAILURE_MS = 30_000;

/**
 * Sends the webhook outbox: each due event POSTed, signed, to its endpoint; a 2xx settles it,
 * anything else is retried on WEBHOOK_RETRY_SCHEDULE_MS until 24 hours after the event, then it
 * is marked failed. Every attempt goes into the endpoint's history. Bookkeeping only: nothing
 * here can undo or delay the delivery facts that put the event in the outbox.
 */
export class WebhookDispatcher {
  private readonly inFlight = new Map<number, Promise<void>>();
  private readonly perEndpoint = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private kicked = false;
  private stopped = false;
  private lastPrune = 0;
  /** performance.now() until which sending waits (an attempt's result could not be stored). */
  private pausedUntil = 0;
  private unsubscribe: () => void = () => {};

  constructor(
    private readonly ctx: EngineContext,
    private readonly secrets: SecretBox,
  ) {}

  start(): void {
    // A status change committed: its event may be in the outbox now.
    this.unsubscribe = this.ctx.events.subscribe((event) => {
      if (event.type === 'message.changed' || event.type === 'bounce.recorded') this.kick();
    });
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    clearTimeout(this.timer);
    // Each is bounded by WEBHOOK_TIMEOUT_MS; one cut short stays pending and is sent again.
    await Promise.all(this.inFlight.values());
  }

  seal(secret: string): string {
    return this.secrets.seal(secret);
  }

  /** Looks at the outbox now (after a commit, an endpoint enabled, a test). */
  kick(): void {
    if (this.kicked || this.stopped) return;
    this.kicked = true;
    setImmediate(() => {
      this.kicked = false;
      this.startDue();
    });
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.startDue();
      this.schedule();
    }, TICK_MS);
    this.timer.unref?.();
  }

  /**
   * Starts the due events there is room for; resolves once every attempt in flight has ended
   * (tests that move the clock await it).
   */
  runDue(): Promise<void> {
    this.startDue();
    return Promise.all(this.inFlight.values()).then(() => {});
  }

  private startDue(): void {
    if (this.stopped || performance.now() < this.pausedUntil) return;
    const { store, clock, health } = this.ctx;
    try {
      const now = clock.now();
      if (now - this.lastPrune > 3_600_000) {
        this.lastPrune = now;
        store.webhooks.pruneSettled(now - KEEP_SETTLED_MS);
      }
      const room = MAX_IN_FLIGHT - this.inFlight.size;
      if (room <= 0) return;
      const busy = new Set(this.inFlight.keys());
      for (const entry of store.webhooks.due(now, room * 4, busy)) {
        if (this.inFlight.size >= MAX_IN_FLIGHT) break;
        const load = this.perEndpoint.get(entry.endpointId) ?? 0;
        if (load >= MAX_IN_FLIGHT_PER_ENDPOINT) continue;
        this.perEndpoint.set(entry.endpointId, load + 1);
        const sending = this.send(entry).finally(() => {
          this.inFlight.delete(entry.id);
          const left = (this.perEndpoint.get(entry.endpointId) ?? 1) - 1;
          if (left > 0) this.perEndpoint.set(entry.endpointId, left);
          else this.perEndpoint.delete(entry.endpointId);
        });
        this.inFlight.set(entry.id, sending);
      }
      health.clear('notify:webhooks');
    } catch (err) {
      health.report(
        'notify',
        err,
        'Webhook events wait in the store and are sent once it works again; see the log for the cause.',
        'notify:webhooks',
      );
    }
  }

  /** One attempt at one outbox event; never throws (a failure to record it leaves it pending). */
  private async send(entry: OutboxEntry): Promise<void> {
    const { store, clock, log, events } = this.ctx;
    try {
      const endpoint = store.webhooks.get(entry.endpointId);
      if (!endpoint) return;
      const payload = entry.payload ?? this.freeze(entry, endpoint);
      const at = clock.now();
      const result = await this.post(endpoint, entry.eventId, entry.type, payload, at);
      const ok = result.error === '';
      const next = ok ? null : nextWebhookAttempt(entry.tries + 1, entry.occurredAt, clock.now());
      const outcome = ok ? 'delivered' : next === null ? 'failed' : 'retrying';
      store.webhooks.recordAttempt(
        { endpointId: endpoint.id, eventId: entry.eventId, type: entry.type, at, ...result, outcome },
        {
          id: entry.id,
          state: ok ? 'delivered' : next === null ? 'failed' : 'pending',
          nextAttemptAt: next ?? at,
        },
        WEBHOOK_HISTORY_LIMIT,
      );
      log.info('webhook', {
        event: entry.eventId,
        type: entry.type,
        endpoint: endpoint.id,
        code: result.statusCode ?? undefined,
        outcome,
        error: result.error || undefined,
        next: next === null ? undefined : new Date(next).toISOString(),
      });
      const updated = store.webhooks.get(endpoint.id);
      if (updated) events.emit('webhook.changed', webhookView(store.webhooks, updated));
    } catch (err) {
      // Its row is still due: without a pause it would be POSTed again at every tick.
      this.pausedUntil = performance.now() + PAUSE_AFTER_STORE_FAILURE_MS;
      this.ctx.health.report(
        'notify',
        err,
        'The event stays in the outbox and is sent again; see the log for the cause.',
        'notify:webhooks',
      );
    }
  }

  /** Builds the event's body once and keeps it, so retries send the same bytes. */
  private freeze(entry: OutboxEntry, endpoint: WebhookEndpointRecord): string {
    const { store } = this.ctx;
    const connection = store.connections.get(endpoint.connectionId);
    const body = eventBody(entry, store.webhooks.factsOf(entry), {
      id: endpoint.connectionId,
      name: connection?.name ?? '',
    });
    const payload = JSON.stringify(body);
    store.webhooks.setPayload(entry.id, payload);
    return payload;
  }

  private async post(
    endpoint: WebhookEndpointRecord,
    eventId: string,
    type: WebhookEventBody['type'],
    payload: string,
    at: number,
  ) {
    const secret = this.secrets.open(endpoint.secret);
    if (secret === undefined) {
      return {
        statusCode: null,
        error: 'the signing secret was sealed on another computer and cannot be opened here; rotate it',
        durationMs: 0,
      };
    }
    return postEvent(
      new URL(endpoint.url),
      payload,
      {
        'Content-Type': 'application/json',
        'User-Agent': `Relaydesk-Webhooks/${this.ctx.version}`,
        'Relaydesk-Event-Id': eventId,
        'Relaydesk-Event-Type': type,
        'Relaydesk-Signature': signatureHeader(secret, payload, at),
      },
      { timeoutMs: WEBHOOK_TIMEOUT_MS, resolver: this.ctx.resolver },
    );
  }

  /** Sends a test event now, once (never retried), and returns the attempt as recorded. */
  async sendTest(endpointId: string): Promise<WebhookAttempt> {
    const { store, clock, events } = this.ctx;
    const endpoint = store.webhooks.get(endpointId);
    if (!endpoint)
      throw new AppError('not_found', `There is no webhook endpoint ${endpointId}; reload the list.`);
    const connection = store.connections.get(endpoint.connectionId);
    const at = clock.now();
    const eventId = `evt_test_${randomBytes(8).toString('hex')}`;
    const payload = JSON.stringify(
      testEventBody(eventId, at, { id: endpoint.connectionId, name: connection?.name ?? '' }),
    );
    const result = await this.post(endpoint, eventId, 'test', payload, at);
    const attempt = { endpointId, eventId, type: 'test' as const, at, ...result, outcome: 'test' as const };
    const id = store.webhooks.recordAttempt(attempt, null, WEBHOOK_HISTORY_LIMIT);
    const updated = store.webhooks.get(endpointId);
    if (updated) events.emit('webhook.changed', webhookView(store.webhooks, updated));
    return { id, ...attempt };
  }
}
