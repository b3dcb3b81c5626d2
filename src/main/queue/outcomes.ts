import { isSimulatorAddress } from '@shared/domain/simulator';
import type { AfterCommit } from '../bounces/recorder';
import { parseSchedule } from '../config/settings-schema';
import { type DeliveryJob, outcomeOf, type RecipientResult } from '../delivery/deliver-job';
import { answerLine, type SmtpAnswer } from '../delivery/reply';
import type { Route } from '../delivery/routes';
import type { OutboundSession } from '../delivery/smtp-client';
import type { EngineContext } from '../engine/context';
import { withoutFsync } from '../store/db';
import type { Outcome } from '../store/queue-repo';
import { isStoreFailure } from '../store/store-errors';
import { afterTemporaryFailure, withJitter } from './backoff';
import type { StoreWrites } from './store-writes';

const HOUR_MS = 3_600_000;

/** An outcome waiting in the batch. */
interface Pending {
  job: DeliveryJob;
  outcome: Outcome;
  answer: SmtpAnswer;
  where: string;
  written: () => void;
}

/** Where an attempt went: the session it used, or the route and what was tried when none opened. */
export interface AttemptPlace {
  route: Route | undefined;
  session: OutboundSession | undefined;
  tried: string;
  startedAt: number;
}

/**
 * Writes what delivery attempts ended in, each as one set of facts that commit together: the
 * recipient's transition (refused when the recipient moved on or its lease was taken over), the
 * attempt, the event, for a 5xx the bounce row and suppression, and for a sent mail its charge in
 * the outbox. The charge is booked from the outbox after the commit, so a billing error can never
 * roll back a delivery that happened (which would send the mail again). A write the store cannot
 * take waits in StoreWrites and is retried before anything new is claimed.
 */
export class OutcomeWriter {
  constructor(
    private readonly ctx: EngineContext,
    private readonly writes: StoreWrites,
  ) {}

  /** Outcomes waiting for the next batch (written together, one commit). */
  private batch: Pending[] = [];

  /**
   * Records the outcome with the others that end in the same turn of the event loop (group
   * commit: one transaction, one fsync), now or once the store takes it; `written` runs when it
   * is stored.
   */
  record(job: DeliveryJob, result: RecipientResult, place: AttemptPlace, written: () => void): Outcome {
    const outcome = this.outcomeOf(job, result, place);
    this.batch.push({ job, outcome, answer: result.answer, where: this.where(job, place), written });
    if (this.batch.length === 1) setImmediate(() => this.flush());
    return outcome;
  }

  /** Hands the waiting batch to the store now (the engine calls this before it stops). */
  flush(): void {
    const items = this.batch.splice(0);
    if (items.length > 0) this.writes.write(() => this.commitAll(items));
  }

  /**
   * One transaction for the batch, each outcome's facts in a savepoint of their own. A store
   * failure (full disk) gives up the whole batch, kept and retried by StoreWrites; any other error
   * is this outcome's alone: reported, and its recipient is let go (its lease runs out and it is
   * tried again) rather than holding up the rest.
   */
  private commitAll(items: Pending[]): void {
    const { store } = this.ctx;
    const done = withoutFsync(store.db, () =>
      store.db.transaction(() =>
        items.map((item) => {
          try {
            return { item, failed: false, ...store.db.transaction(() => this.inTransaction(item))() };
          } catch (err) {
            if (isStoreFailure(err)) throw err;
            this.ctx.health.report(
              'delivery',
              err,
              'This mail is tried again when its lease runs out; see the log for the cause.',
              'delivery:outcome',
            );
            return { item, failed: true, applied: false, refusedFrom: undefined, after: [] };
          }
        }),
      )(),
    );
    for (const { item, failed, applied, refusedFrom, after } of done) {
      if (!failed) this.afterCommit(item.job, item.outcome, applied, refusedFrom, after);
      item.written();
    }
  }

  /** Charges booking failed for wait in the outbox; they are booked once it works again. */
  private billingFailed = false;

  /**
   * Inside the outcome's transaction: the charge goes to the outbox and is booked in a savepoint.
   * If booking throws, only the savepoint rolls back: the outcome commits, the charge waits.
   */
  private charge(recipientId: number, connectionId: string, at: number): void {
    const { store, quota } = this.ctx;
    store.quota.enqueueCharge(recipientId, connectionId, at);
    if (!quota || this.billingFailed) return;
    try {
      store.db.transaction(() => {
        quota.charge([{ recipientId, connectionId, at }]);
        store.quota.removePendingCharges([recipientId]);
      })();
    } catch (err) {
      this.billingFailed = true;
      this.billingProblem(err);
    }
  }

  /** Books the charges left in the outbox (at start, and after booking failed, with each outcome). */
  chargePending(): void {
    const { quota, health } = this.ctx;
    if (!quota) return;
    try {
      quota.chargePending();
      this.billingFailed = false;
      health.clear('quota:billing');
    } catch (err) {
      this.billingFailed = true;
      this.billingProblem(err);
    }
  }

  private billingProblem(err: unknown): void {
    this.ctx.health.report(
      'quota',
      err,
      'Sent mail is charged when booking works again; nothing is sent twice. See the log for the cause.',
      'quota:billing',
    );
  }

  private where(job: DeliveryJob, place: AttemptPlace): string {
    const { session, tried, route } = place;
    return session ? `${session.host} [${session.ip}]` : tried || route?.label || job.domain;
  }

  private outcomeOf(
    job: DeliveryJob,
    { recipient, result, answer }: RecipientResult,
    place: AttemptPlace,
  ): Outcome {
    const { clock, settings, log } = this.ctx;
    const now = clock.now();
    const schedule = parseSchedule(settings.get('delivery.retrySchedule')) ?? [HOUR_MS];
    const lifetime = settings.get('delivery.queueLifetimeHours') * HOUR_MS;
    const backoff =
      result === 'temporary'
        ? afterTemporaryFailure(recipient.attempts, now, recipient.acceptedAt, schedule, lifetime)
        : undefined;
    const retryAt =
      backoff && 'retryAt' in backoff
        ? withJitter(backoff.retryAt, now, recipient.acceptedAt + lifetime, recipient.id)
        : null;
    const outcome = outcomeOf(result, backoff !== undefined && 'expire' in backoff);
    const line = answerLine(answer);
    const { session, route, startedAt } = place;
    log.info(outcome, {
      msg: job.messageId,
      rcpt: recipient.address,
      mx: this.where(job, place),
      tls: session?.tls || undefined,
      reply: line,
    });
    return {
      recipientId: recipient.id,
      messageId: job.messageId,
      address: recipient.address,
      status: outcome,
      nextAttemptAt: retryAt,
      lastReply: line,
      leaseId: recipient.leaseId,
      attempt: {
        at: startedAt,
        route: route?.kind ?? 'mx',
        host: session?.host ?? (place.tried || job.domain),
        ip: session?.ip ?? '',
        port: session?.port ?? route?.targets[0]?.port ?? 25,
        tls: session?.tls ?? '',
        replyCode: answer.code,
        enhancedStatus: answer.enhanced,
        reply: answer.text,
        durationMs: Math.max(0, now - startedAt),
        outcome,
      },
      detail: `${line}${session ? ` (${session.host})` : ''}${retryAt !== null ? `; next try ${new Date(retryAt).toISOString()}` : ''}`,
      at: now,
    };
  }

  /** One transaction of facts, then (never throwing) what follows from them. */
  /** One outcome's facts (inside the batch's transaction); what to tell afterwards. */
  private inTransaction({ job, outcome, answer, where }: Pending): {
    applied: boolean;
    refusedFrom: string | undefined;
    after: AfterCommit[];
  } {
    const { store, bounces } = this.ctx;
    const after: AfterCommit[] = [];
    const written = store.queue.record([outcome]);
    if (written.applied.length > 0) {
      // A refusal during delivery is a synchronous bounce: classified, kept, maybe suppressed.
      if (outcome.status === 'bounced' && bounces) {
        after.push(
          bounces.recordSyncInTransaction(job.messageId, outcome.recipientId, outcome.address, answer, where),
        );
      }
      // Relaydesk's own mail and simulator addresses are never billed (SPEC "Quota and billing").
      if (
        (outcome.status === 'delivered' || outcome.status === 'bounced') &&
        job.connectionId !== null &&
        !isSimulatorAddress(outcome.address)
      )
        this.charge(outcome.recipientId, job.connectionId, outcome.at);
    }
    return { applied: written.applied.length > 0, refusedFrom: written.refused[0]?.status, after };
  }

  private afterCommit(
    job: DeliveryJob,
    outcome: Outcome,
    applied: boolean,
    refusedFrom: string | undefined,
    after: AfterCommit[],
  ): void {
    const { store, events, log } = this.ctx;
    try {
      if (!applied) {
        // The recipient moved on meanwhile (a bounce report, a lease taken over): the attempt is
        // kept, the status it reached stays.
        log.warn('transition-refused', {
          event: outcome.status,
          msg: job.messageId,
          rcpt: outcome.address,
          status: refusedFrom,
        });
        return;
      }
      for (const f of after) f();
      if (outcome.status === 'delivered' || outcome.status === 'bounced') {
        if (this.billingFailed) this.chargePending();
        void this.ctx.quotaAlerts?.check();
      }
      const summary = store.messages.summary(job.messageId);
      if (summary) events.emit('message.changed', summary);
    } catch (err) {
      log.error('after-outcome-failed', { msg: job.messageId, error: (err as Error).message });
    }
  }
}
