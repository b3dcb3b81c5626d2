import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { parseSchedule } from '../config/settings-schema';
import { type DeliveryJob, outcomeOf, type RecipientResult, sendJob } from '../delivery/deliver-job';
import { answerLine, classifyFailure, type SmtpAnswer } from '../delivery/reply';
import { type Route, resolveRoute } from '../delivery/routes';
import { type OutboundSession, openSession } from '../delivery/smtp-client';
import { verpAddress } from '../delivery/verp';
import type { EngineContext } from '../engine/context';
import type { Resolver } from '../engine/resolver';
import type { ClaimedRecipient, Outcome } from '../store/queue-repo';
import { afterTemporaryFailure } from './backoff';
import { StoreWrites } from './store-writes';

/** A lease longer than any attempt can take (timeouts are at most 10 minutes). */
const LEASE_MS = 30 * 60_000;
/** Scheduler tick when nothing is due sooner; also how soon a moved test clock is noticed. */
const IDLE_TICK_MS = 1_000;
const HOUR_MS = 3_600_000;

/** Next tick after the scheduler itself failed. */
const SCHEDULER_RETRY_MS = 5_000;
const SCHEDULER_KEY = 'delivery:scheduler';

/** How long a worker keeps its session open for more mail to the same domain. */
const SESSION_IDLE_MS = 5_000;

interface Lane {
  domain: string;
  pending: DeliveryJob[];
  workers: number;
  /** Workers waiting, session open, for the next job: call with true to hand one over, false to let go. */
  idle: ((take: boolean) => void)[];
}

/** A host's addresses through the injected resolver (IPv4 first), so tests and the app use one DNS. */
async function addressesOf(host: string, resolver: Resolver): Promise<string[]> {
  if (isIP(host)) return [host];
  const [v4, v6] = await Promise.allSettled([resolver.resolve4(host), resolver.resolve6(host)]);
  const addresses = [v4, v6].flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
  if (addresses.length > 0) return addresses;
  const reason = v4.status === 'rejected' ? (v4.reason as NodeJS.ErrnoException) : undefined;
  throw Object.assign(new Error(`no address for ${host}`), { code: reason?.code ?? 'ENOTFOUND' });
}

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/**
 * The delivery engine: picks due recipients (leased, so nothing is delivered twice while this
 * process lives), makes one job (one SMTP transaction) of each, and runs workers per destination
 * domain — each holding one SMTP session open for as many jobs as its domain has waiting. Limits: per
 * domain and overall. Outcomes go to the store with an attempt row and an event each.
 */
export class DeliveryEngine {
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private readonly lanes = new Map<string, Lane>();
  private workers = 0;
  private readonly running = new Set<Promise<void>>();
  private unsubscribe: (() => void) | undefined;
  /** Outcome writes that failed (a full disk) wait here, in order, and block new claims. */
  private readonly writes: StoreWrites;

  constructor(
    private readonly ctx: EngineContext,
    private readonly verpSecret: Buffer,
  ) {
    this.writes = new StoreWrites(ctx.health);
  }

  start(): void {
    const { store, clock, log } = this.ctx;
    const requeued = store.queue.releaseLeases(
      clock.now(),
      'Relaydesk stopped while this was being delivered; it will be tried again',
    );
    if (requeued.length > 0) log.warn('requeued', { recipients: requeued.length, reason: 'restart' });
    this.unsubscribe = this.ctx.events.subscribe((event) => {
      if (event.type === 'message.accepted' && event.data.status === 'queued') this.kick();
    });
    this.kick();
  }

  /** Look for due work now (new mail, a retry request, a resume). */
  kick(): void {
    this.schedule(0);
  }

  activeConnections(): number {
    return this.workers;
  }

  /** Stops taking work, lets every worker finish its current mail, then puts what is left back in the queue. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    for (const lane of this.lanes.values()) for (const wake of lane.idle.splice(0)) wake(false);
    await Promise.all([...this.running]);
    if (!this.writes.flush()) {
      // The store still fails: these recipients stay `sending` and go back to the queue at the
      // next start, so their mail may be sent once more (the only way a send can repeat).
      this.ctx.log.error('outcomes-unwritten', { writes: this.writes.pending });
      return;
    }
    const released = this.ctx.store.queue.releaseLeases(
      this.ctx.clock.now(),
      'Relaydesk was stopped before this was sent',
    );
    if (released.length > 0)
      this.ctx.log.info('released', { recipients: released.length, reason: 'shutdown' });
  }

  private schedule(delayMs: number): void {
    if (this.stopping) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.cycle(), delayMs);
  }

  /** One scheduler tick; whatever it throws is reported and the next tick still comes. */
  private cycle(): void {
    if (this.stopping) return;
    let delay = SCHEDULER_RETRY_MS;
    try {
      delay = this.claimAndDispatch();
      this.ctx.health.clear(SCHEDULER_KEY);
    } catch (err) {
      this.ctx.health.report(
        'delivery',
        err,
        'Delivery retries by itself; see the log for the cause.',
        SCHEDULER_KEY,
      );
    }
    this.schedule(delay);
  }

  /** Writes what waits to be written, claims due work, hands it to lanes; returns the delay to the next tick. */
  private claimAndDispatch(): number {
    const { store, clock, settings } = this.ctx;
    if (!this.writes.flush()) return this.writes.retryInMs;
    const now = clock.now();
    const maxConnections = settings.get('delivery.maxConnections');
    let waiting = 0;
    for (const lane of this.lanes.values()) waiting += lane.pending.length;
    const room = Math.max(0, maxConnections * 4 - waiting);
    const claimed: ClaimedRecipient[] | undefined =
      room > 0 ? this.writes.attempt(() => store.queue.claimDue(now, Math.min(room, 500), LEASE_MS)) : [];
    // A claim that failed (full disk) is not retried at once: the store gets time to recover.
    if (claimed === undefined) return this.writes.retryInMs;
    for (const job of this.jobsOf(claimed)) {
      const lane = this.lanes.get(job.domain) ?? { domain: job.domain, pending: [], workers: 0, idle: [] };
      this.lanes.set(job.domain, lane);
      lane.pending.push(job);
      lane.idle.shift()?.(true);
    }
    this.spawnWorkers();
    const next = store.queue.nextDueAt();
    return claimed.length >= 500
      ? 0
      : next === undefined
        ? IDLE_TICK_MS
        : Math.min(IDLE_TICK_MS, Math.max(0, next - now));
  }

  /**
   * One job per recipient: each transaction's return path names exactly one recipient, so a
   * bounce report can only ever speak for the recipient whose mail it returns (see
   * docs/architecture.md, VERP). Several recipients of one mail at one domain are several jobs
   * in that domain's lane, carried over its open sessions one after another.
   */
  private jobsOf(claimed: ClaimedRecipient[]): DeliveryJob[] {
    const bounceDomain = this.ctx.settings.get('bounces.domain');
    const jobs = claimed.map((r): DeliveryJob => {
      const fromDomain = domainOf(r.headerFrom.replace(/^.*<|>.*$/g, '') || r.mailFrom || 'localhost');
      return {
        messageId: r.messageId,
        domain: r.domain,
        recipient: r,
        spoolPath: this.ctx.spool.pathOf(r.messageId),
        connectionId: r.connectionId,
        envelopeFrom: verpAddress(this.verpSecret, r.messageId, r.id, bounceDomain || fromDomain),
        size: r.size,
      };
    });
    for (const messageId of new Set(jobs.map((j) => j.messageId))) {
      const summary = this.ctx.store.messages.summary(messageId);
      if (summary) this.ctx.events.emit('message.changed', summary);
    }
    return jobs;
  }

  private spawnWorkers(): void {
    const { settings } = this.ctx;
    const perDomain = settings.get('delivery.maxConnectionsPerDomain');
    const overall = settings.get('delivery.maxConnections');
    for (const lane of this.lanes.values()) {
      const busy = () => lane.workers - lane.idle.length;
      while (
        !this.stopping &&
        !this.writes.failing &&
        lane.pending.length > busy() &&
        lane.workers < perDomain
      ) {
        if (this.workers >= overall && !this.freeIdleWorker(lane)) break;
        if (this.workers >= overall) break;
        const run = this.runWorker(lane).finally(() => this.running.delete(run));
        this.running.add(run);
      }
      if (lane.pending.length === 0 && lane.workers === 0) this.lanes.delete(lane.domain);
    }
  }

  /** At the overall limit, an idle session of another domain makes room for waiting mail. */
  private freeIdleWorker(except: Lane): boolean {
    for (const lane of this.lanes.values()) {
      if (lane !== except && lane.idle.length > 0) {
        lane.idle.shift()?.(false);
        return true;
      }
    }
    return false;
  }

  /** The lane's next job; when there is none, waits a little with the session open for one. */
  private nextJob(lane: Lane): Promise<DeliveryJob | undefined> {
    const job = lane.pending.shift();
    if (job || this.stopping) return Promise.resolve(job);
    return new Promise((resolve) => {
      const wake = (take: boolean) => {
        clearTimeout(timer);
        resolve(take ? lane.pending.shift() : undefined);
      };
      const timer = setTimeout(() => {
        lane.idle.splice(lane.idle.indexOf(wake), 1);
        resolve(undefined);
      }, SESSION_IDLE_MS);
      lane.idle.push(wake);
    });
  }

  /** Delivers the lane's waiting jobs one after another over one session, opened when first needed. */
  private async runWorker(lane: Lane): Promise<void> {
    lane.workers++;
    this.workers++;
    let session: OutboundSession | undefined;
    let route: Route | undefined;
    try {
      for (let job = await this.nextJob(lane); job && !this.stopping; job = await this.nextJob(lane)) {
        if (this.writes.failing) {
          // The store cannot take outcomes now: send nothing more until it can (the job stays claimed).
          lane.pending.unshift(job);
          break;
        }
        const startedAt = this.ctx.clock.now();
        if (!route) {
          const resolved = await resolveRoute(
            lane.domain,
            this.ctx.settings,
            this.ctx.resolver,
            this.ctx.mxPort,
          );
          if ('failure' in resolved) {
            // The same answer holds for everything waiting for this domain.
            for (const j of [job, ...lane.pending.splice(0)])
              this.fail(j, resolved.failure, undefined, startedAt);
            break;
          }
          route = resolved.route;
        }
        if (!session?.usable) {
          const opened = await this.connect(route);
          if ('failure' in opened) {
            for (const j of [job, ...lane.pending.splice(0)])
              this.fail(j, opened.failure, route, startedAt, opened.tried);
            break;
          }
          session = opened.session;
        }
        const { results, sessionBroken } = await sendJob(session, job);
        this.record(job, results, route, session, startedAt);
        if (sessionBroken) session = undefined;
      }
    } catch (err) {
      this.ctx.health.report(
        'delivery',
        err,
        'Delivery goes on with the next mail; see the log for the cause.',
        'delivery:worker',
      );
    } finally {
      session?.close();
      lane.workers--;
      this.workers--;
      this.spawnWorkers();
    }
  }

  /** Tries the route's targets in order (MX preference); the first that answers carries the mail. */
  private async connect(
    route: Route,
  ): Promise<
    { session: OutboundSession } | { failure: { permanent: boolean; answer: SmtpAnswer }; tried: string }
  > {
    const { settings } = this.ctx;
    let last: unknown;
    const tried: string[] = [];
    for (const target of route.targets) {
      let addresses: string[];
      try {
        addresses = await addressesOf(target.host, this.ctx.resolver);
      } catch (err) {
        tried.push(target.host);
        last = err;
        continue;
      }
      for (const address of addresses) {
        tried.push(`${target.host} [${address}]:${target.port}`);
        try {
          const session = await openSession(target, address, route, {
            ehloName: settings.get('delivery.ehloName') || hostname(),
            timeoutMs: settings.get('delivery.timeoutSeconds') * 1000,
          });
          return { session };
        } catch (err) {
          last = err;
          // A refusal in the greeting or EHLO (5xx) is the server's answer; anything else: next address.
          if (classifyFailure(err).permanent)
            return { failure: classifyFailure(err), tried: tried.join(', ') };
        }
      }
    }
    const { permanent, answer } = classifyFailure(last);
    return { failure: { permanent, answer }, tried: tried.join(', ') };
  }

  private fail(
    job: DeliveryJob,
    failure: { permanent: boolean; answer: SmtpAnswer },
    route: Route | undefined,
    startedAt: number,
    tried = '',
  ): void {
    const result: RecipientResult = {
      recipient: job.recipient,
      result: failure.permanent ? 'permanent' : 'temporary',
      answer: failure.answer,
    };
    this.record(job, [result], route, undefined, startedAt, tried);
  }

  private record(
    job: DeliveryJob,
    results: RecipientResult[],
    route: Route | undefined,
    session: OutboundSession | undefined,
    startedAt: number,
    tried = '',
  ): void {
    const { store, clock, settings, log } = this.ctx;
    const now = clock.now();
    const schedule = parseSchedule(settings.get('delivery.retrySchedule')) ?? [HOUR_MS];
    const lifetime = settings.get('delivery.queueLifetimeHours') * HOUR_MS;
    const outcomes: Outcome[] = results.map(({ recipient, result, answer }) => {
      const backoff =
        result === 'temporary'
          ? afterTemporaryFailure(recipient.attempts, now, recipient.acceptedAt, schedule, lifetime)
          : undefined;
      const expired = backoff !== undefined && 'expire' in backoff;
      const outcome = outcomeOf(result, expired);
      const line = answerLine(answer);
      const status =
        outcome === 'delivered'
          ? 'delivered'
          : outcome === 'bounced'
            ? 'bounced'
            : outcome === 'expired'
              ? 'expired'
              : 'deferred';
      const where = session ? `${session.host} [${session.ip}]` : tried || route?.label || job.domain;
      log.info(outcome, {
        msg: job.messageId,
        rcpt: recipient.address,
        mx: where,
        tls: session?.tls || undefined,
        reply: line,
      });
      return {
        recipientId: recipient.id,
        messageId: job.messageId,
        address: recipient.address,
        status,
        nextAttemptAt: backoff && 'retryAt' in backoff ? backoff.retryAt : null,
        lastReply: line,
        attempt: {
          at: startedAt,
          route: route?.kind ?? 'mx',
          host: session?.host ?? (tried || job.domain),
          ip: session?.ip ?? '',
          port: session?.port ?? route?.targets[0]?.port ?? 25,
          tls: session?.tls ?? '',
          replyCode: answer.code,
          enhancedStatus: answer.enhanced,
          reply: answer.text,
          durationMs: Math.max(0, now - startedAt),
          outcome,
        },
        event: {
          type: outcome,
          detail: `${line}${session ? ` (${session.host})` : ''}${backoff && 'retryAt' in backoff ? `; next try ${new Date(backoff.retryAt).toISOString()}` : ''}`,
        },
        at: now,
      };
    });
    // The outcome and its charge are stored together: a sent mail is billed exactly once. When
    // the store cannot take them (a full disk), they wait in memory and are written first.
    this.writes.write(() => {
      store.db.transaction(() => {
        store.queue.record(outcomes);
        if (job.connectionId !== null) {
          this.ctx.quota?.charge(
            outcomes
              .filter((o) => o.status === 'delivered' || o.status === 'bounced')
              .map((o) => ({ recipientId: o.recipientId, connectionId: job.connectionId, at: now })),
          );
        }
      })();
      this.afterOutcome(job.messageId, outcomes);
    });
    // A refusal during delivery is a synchronous bounce: classified, kept, maybe suppressed.
    for (const [i, o] of outcomes.entries()) {
      const result = results[i];
      if (o.status === 'bounced' && result) {
        const where = session ? `${session.host} [${session.ip}]` : tried || route?.label || job.domain;
        this.writes.write(() =>
          this.ctx.bounces?.recordSync(job.messageId, o.recipientId, o.address, result.answer, where),
        );
      }
    }
  }

  /** What follows a written outcome: the quota alert and the console. Never undoes the outcome. */
  private afterOutcome(messageId: string, outcomes: Outcome[]): void {
    const { store, events } = this.ctx;
    if (outcomes.some((o) => o.status === 'delivered' || o.status === 'bounced'))
      void this.ctx.quotaAlerts?.check();
    try {
      const summary = store.messages.summary(messageId);
      if (summary) events.emit('message.changed', summary);
    } catch (err) {
      this.ctx.log.error('message-changed-failed', { msg: messageId, error: (err as Error).message });
    }
  }
}
