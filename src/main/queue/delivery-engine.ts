import { randomInt } from 'node:crypto';
import { hostname } from 'node:os';
import { connectRoute } from '../delivery/connect';
import { type DeliveryJob, type RecipientResult, sendJob } from '../delivery/deliver-job';
import type { SmtpAnswer } from '../delivery/reply';
import { type Route, type RouteFailure, resolveRoute } from '../delivery/routes';
import type { OutboundSession } from '../delivery/smtp-client';
import { verpAddress } from '../delivery/verp';
import type { EngineContext } from '../engine/context';
import { withoutFsync } from '../store/db';
import type { ClaimedRecipient } from '../store/queue-repo';
import { type AttemptPlace, OutcomeWriter } from './outcomes';
import { StoreWrites } from './store-writes';

/**
 * How long a claim stays valid without its worker. Workers of this process hold their recipients
 * (`held`) whatever the lease says; the lease only brings back work whose worker failed, and work
 * of a process that died (at the next start everything `sending` is requeued anyway).
 */
const LEASE_MS = 5 * 60_000;
/** Scheduler tick when nothing is due sooner; also how soon a moved test clock is noticed. */
const IDLE_TICK_MS = 1_000;
/** How often the due time of every lane is read afresh from the store (besides kicks). */
const REFRESH_MS = 10_000;
/** Next tick after the scheduler itself failed. */
const SCHEDULER_RETRY_MS = 5_000;
const SCHEDULER_KEY = 'delivery:scheduler';
/** New mail is claimed after this short wait, so mail arriving together is claimed in one transaction. */
const BATCH_DELAY_MS = 2;
/** How often leases are checked for having run out (they last minutes). */
const SWEEP_EVERY_MS = 5_000;

/** How long a worker keeps its session open for more mail to the same domain. */
const SESSION_IDLE_MS = 5_000;
/** A lane claims at most this many times its connection limit ahead: enough to keep them busy. */
const LANE_DEPTH = 2;

/** One destination: its claimed jobs and the workers (sessions) carrying them. */
interface Lane {
  domain: string;
  pending: DeliveryJob[];
  workers: number;
  /** Workers waiting, session open, for the next job: call with true to hand one over, false to let go. */
  idle: ((take: boolean) => void)[];
}

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/**
 * The delivery engine. Work is claimed per destination lane (recipient domain): each lane claims
 * only what its connections can start soon (at most LANE_DEPTH × the per-domain limit), and a
 * lane at its limit is skipped, so a slow or tarpitting domain never holds claims another domain
 * needs, and a password reset to a small domain never waits behind a big backlog elsewhere
 * (ZoneMTA's skip list). A claim is a lease that expires. Each job is one SMTP transaction for
 * one recipient; a worker carries its lane's jobs one after another over one session. Outcomes
 * are written by the OutcomeWriter as facts that commit together; when the store fails, delivery
 * sends nothing new until they are written (StoreWrites).
 */
export class DeliveryEngine {
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private readonly lanes = new Map<string, Lane>();
  /** Earliest known due time per domain with waiting work (a cache of the store, refreshed). */
  private readonly due = new Map<string, number>();
  private refreshedAt = Number.NEGATIVE_INFINITY;
  /** Recipients claimed by this process whose outcome is not written yet: their leases are ours. */
  private readonly held = new Set<number>();
  private workers = 0;
  private readonly running = new Set<Promise<void>>();
  private unsubscribe: (() => void) | undefined;
  private readonly writes: StoreWrites;
  private readonly outcomes: OutcomeWriter;

  constructor(
    private readonly ctx: EngineContext,
    private readonly verpSecret: Buffer,
  ) {
    this.writes = new StoreWrites(ctx.health);
    this.outcomes = new OutcomeWriter(ctx, this.writes);
  }

  start(): void {
    const { store, clock, log } = this.ctx;
    const requeued = store.queue.releaseLeases(
      clock.now(),
      'Relaydesk stopped while this was being delivered; it will be tried again',
    );
    if (requeued.length > 0) log.warn('requeued', { recipients: requeued.length, reason: 'restart' });
    this.outcomes.chargePending();
    this.unsubscribe = this.ctx.events.subscribe((event) => {
      if (event.type !== 'message.accepted' || event.data.status !== 'queued') return;
      for (const address of event.data.recipients) this.dueAt(domainOf(address), event.data.acceptedAt);
      this.schedule(BATCH_DELAY_MS);
    });
    this.kick();
  }

  /** Look for due work now, reading every lane's due time afresh (a retry, a release, a resume). */
  kick(): void {
    this.refreshedAt = Number.NEGATIVE_INFINITY;
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
    this.outcomes.flush();
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

  /** When the next tick runs (performance.now() time), while one is scheduled. */
  private timerAt = Number.POSITIVE_INFINITY;

  /** Runs a tick within `delayMs`; a tick already due sooner stands (so a stream of new mail cannot postpone it). */
  private schedule(delayMs: number): void {
    if (this.stopping) return;
    const at = performance.now() + delayMs;
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.cycle();
    }, delayMs);
  }

  /** Remembers that `domain` has work due at `at` (new mail, a deferral). */
  private dueAt(domain: string, at: number): void {
    const known = this.due.get(domain);
    if (known === undefined || at < known) this.due.set(domain, at);
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

  /**
   * Writes what waits to be written, brings back work whose lease ran out, then claims for each
   * lane with work due and room to start it; returns the delay to the next tick.
   */
  private claimAndDispatch(): number {
    const { store, clock, settings, log } = this.ctx;
    if (!this.writes.flush()) return this.writes.retryInMs;
    const now = clock.now();

    if (this.sweptNow()) {
      const lapsed = this.writes.attempt(() =>
        store.queue.releaseLeases(now, 'its delivery attempt was lost; trying again', {
          event: 'leaseExpired',
          expiredBy: now,
          except: this.held,
        }),
      );
      if (lapsed === undefined) return this.writes.retryInMs;
      if (lapsed.length > 0) {
        log.warn('lease-expired', { recipients: lapsed.length });
        this.refreshedAt = Number.NEGATIVE_INFINITY;
      }
    }
    if (performance.now() - this.refreshedAt >= REFRESH_MS) {
      this.due.clear();
      for (const [domain, at] of store.queue.dueByDomain()) this.due.set(domain, at);
      this.refreshedAt = performance.now();
    }

    const paused = new Set(store.queue.paused());
    const perLane = settings.get('delivery.maxConnectionsPerDomain') * LANE_DEPTH;
    let room = settings.get('delivery.maxConnections') * LANE_DEPTH;
    for (const lane of this.lanes.values()) room -= lane.pending.length;
    const lanesDue = [...this.due.entries()]
      .filter(([domain, at]) => at <= now && !paused.has('*') && !paused.has(domain))
      .sort((a, b) => a[1] - b[1]);
    // Every lane's claim in one transaction: one commit (one fsync) per tick, however many lanes.
    const claims = this.writes.attempt(() =>
      withoutFsync(store.db, () =>
        store.db.transaction(() => {
          const taken: {
            domain: string;
            claimed: ClaimedRecipient[];
            suppressed: string[];
            drained: boolean;
          }[] = [];
          for (const [domain] of lanesDue) {
            if (room <= 0) break;
            const lane = this.lanes.get(domain);
            const inFlight = lane ? lane.pending.length + lane.workers - lane.idle.length : 0;
            const want = Math.min(perLane - inFlight, room);
            // A lane at its limit is skipped: what it has is enough to keep its connections busy.
            if (want <= 0) continue;
            const lease = { id: randomInt(1, 2 ** 31), until: now + LEASE_MS };
            const { claimed, suppressed } = store.queue.claimLane(domain, now, want, lease);
            room -= claimed.length;
            taken.push({
              domain,
              claimed,
              suppressed: suppressed.map((c) => c.messageId),
              drained: claimed.length + suppressed.length < want,
            });
          }
          return taken;
        })(),
      ),
    );
    if (claims === undefined) return this.writes.retryInMs;
    for (const { domain, claimed, suppressed, drained } of claims) {
      if (suppressed.length > 0) this.changed(suppressed);
      if (drained) {
        const next = store.queue.dueOf(domain);
        if (next === undefined) this.due.delete(domain);
        else this.due.set(domain, next);
      }
      this.dispatch(claimed);
    }
    this.spawnWorkers();

    let next = now + IDLE_TICK_MS;
    for (const at of this.due.values()) if (at < next) next = at;
    return Math.max(0, next - now);
  }

  private sweptAt = Number.NEGATIVE_INFINITY;
  private clockAtSweep = Number.NEGATIVE_INFINITY;

  /** Whether to look for run-out leases now: every few seconds, and whenever the (test) clock jumped. */
  private sweptNow(): boolean {
    const now = this.ctx.clock.now();
    const due =
      performance.now() - this.sweptAt >= SWEEP_EVERY_MS ||
      Math.abs(now - this.clockAtSweep) > 2 * SWEEP_EVERY_MS;
    if (due) {
      this.sweptAt = performance.now();
      this.clockAtSweep = now;
    }
    return due;
  }

  /** Makes one job of each claimed recipient and hands it to its lane. */
  private dispatch(claimed: ClaimedRecipient[]): void {
    for (const job of this.jobsOf(claimed)) {
      this.held.add(job.recipient.id);
      const lane = this.lanes.get(job.domain) ?? { domain: job.domain, pending: [], workers: 0, idle: [] };
      this.lanes.set(job.domain, lane);
      lane.pending.push(job);
      lane.idle.shift()?.(true);
    }
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
        body: () => this.ctx.spool.read(r.messageId),
        connectionId: r.connectionId,
        envelopeFrom: verpAddress(this.verpSecret, r.messageId, r.id, bounceDomain || fromDomain),
        size: r.size,
      };
    });
    this.changed(jobs.map((j) => j.messageId));
    return jobs;
  }

  /** Tells the console these messages changed. */
  private changed(messageIds: string[]): void {
    for (const messageId of new Set(messageIds)) {
      const summary = this.ctx.store.messages.summary(messageId);
      if (summary) this.ctx.events.emit('message.changed', summary);
    }
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

  /** The lane's next job; when there is none, asks for more and waits a little with the session open. */
  private nextJob(lane: Lane): Promise<DeliveryJob | undefined> {
    const job = lane.pending.shift();
    if (job || this.stopping) return Promise.resolve(job);
    const due = this.due.get(lane.domain);
    if (due !== undefined && due <= this.ctx.clock.now()) this.schedule(0);
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
    let current: DeliveryJob | undefined;
    const { settings } = this.ctx;
    try {
      for (let job = await this.nextJob(lane); job && !this.stopping; job = await this.nextJob(lane)) {
        current = job;
        if (this.writes.failing) {
          // The store cannot take outcomes now: send nothing more until it can (the job stays claimed).
          lane.pending.unshift(job);
          current = undefined;
          break;
        }
        const startedAt = this.ctx.clock.now();
        if (!route) {
          const resolved = await resolveRoute(
            lane.domain,
            settings,
            this.ctx.resolver,
            this.ctx.mxPort,
            this.ctx.simulator,
          );
          if ('failure' in resolved) {
            // The same answer holds for everything waiting for this domain.
            for (const j of [job, ...lane.pending.splice(0)])
              this.fail(j, resolved.failure, { route: undefined, session: undefined, tried: '', startedAt });
            current = undefined;
            break;
          }
          route = resolved.route;
        }
        if (!session?.usable) {
          const opened = await connectRoute(route, this.ctx.resolver, {
            ehloName: settings.get('delivery.ehloName') || hostname(),
            timeoutMs: settings.get('delivery.timeoutSeconds') * 1000,
          });
          if ('failure' in opened) {
            for (const j of [job, ...lane.pending.splice(0)])
              this.fail(j, opened.failure, { route, session: undefined, tried: opened.tried, startedAt });
            current = undefined;
            break;
          }
          session = opened.session;
        }
        const { results, sessionBroken } = await sendJob(session, job);
        for (const result of results) this.record(job, result, { route, session, tried: '', startedAt });
        current = undefined;
        if (sessionBroken) session = undefined;
      }
    } catch (err) {
      // The job in hand is let go: its lease runs out and the scheduler takes it again.
      if (current) this.held.delete(current.recipient.id);
      this.ctx.health.report(
        'delivery',
        err,
        'Delivery goes on with the next mail; the mail in hand is tried again when its lease runs out. See the log for the cause.',
        'delivery:worker',
      );
    } finally {
      session?.close();
      lane.workers--;
      this.workers--;
      this.spawnWorkers();
    }
  }

  /**
   * A failure before any transaction (no route, no host would talk): the same outcome for the
   * job. A domain that does not exist is permanent only when confirmed by a second attempt.
   */
  private fail(job: DeliveryJob, failure: RouteFailure, place: AttemptPlace): void {
    const firstTry = job.recipient.attempts <= 1;
    const unconfirmed = failure.permanent && failure.unconfirmed === true && firstTry;
    const answer: SmtpAnswer = unconfirmed
      ? {
          ...failure.answer,
          enhanced: '4.4.3',
          text: `${failure.answer.text}; Relaydesk asks DNS once more before it gives up`,
        }
      : failure.answer;
    const result: RecipientResult = {
      recipient: job.recipient,
      result: failure.permanent && !unconfirmed ? 'permanent' : 'temporary',
      answer,
    };
    this.record(job, result, place);
  }

  private record(job: DeliveryJob, result: RecipientResult, place: AttemptPlace): void {
    const outcome = this.outcomes.record(job, result, place, () => this.held.delete(job.recipient.id));
    if (outcome.status === 'deferred' && outcome.nextAttemptAt !== null)
      this.dueAt(job.domain, outcome.nextAttemptAt);
  }
}
