import { randomBytes } from 'node:crypto';
import type { AnalyzedRecipient, BounceAnalysis, BounceRecord } from '@shared/domain/bounce';
import type { RecipientStatus } from '@shared/domain/message';
import type { SmtpAnswer } from '../delivery/reply';
import type { EngineContext } from '../engine/context';
import type { NewBounce } from '../store/bounces-repo';
import type { Outcome } from '../store/queue-repo';
import { analyzeBounce } from './analyze';
import { classifyReply } from './classify';

interface RecipientRow {
  id: number;
  address: string;
  status: RecipientStatus;
}

/**
 * Turns bounces into their consequences, the same way whether the recipient server refused
 * during delivery (synchronous) or a report came back later (asynchronous): a bounce row with
 * reason and explanation, the recipient's new status, an event, and — for hard bounces and
 * complaints — the address on the suppression list.
 */
export class BounceRecorder {
  constructor(private readonly ctx: EngineContext) {}

  /** A 5xx reply during delivery. */
  recordSync(
    messageId: string,
    recipientId: number,
    address: string,
    answer: SmtpAnswer,
    remoteMta: string,
  ): void {
    const { reason, hard, explanation } = classifyReply({
      status: answer.enhanced,
      replyCode: answer.code ?? '',
      diagnostic: answer.text,
      action: 'failed',
      ...(answer.command ? { command: answer.command } : {}),
    });
    this.save({
      at: this.ctx.clock.now(),
      messageId,
      recipientId,
      recipient: address,
      origin: 'sync',
      kind: 'bounce',
      reason,
      hard,
      status: answer.enhanced,
      replyCode: answer.code === null ? '' : String(answer.code),
      diagnostic: answer.text,
      remoteMta,
      explanation,
      reportId: null,
    });
  }

  /**
   * A report the bounce listener accepted for a VERP address: stored raw, analysed, and applied
   * to the recipients it names (all of the message's recipients are candidates when the return
   * path named the message only).
   */
  async recordReport(
    raw: Buffer,
    verp: { messageId: string; recipientId: number },
    client: string,
  ): Promise<{ reportId: string; analysis: BounceAnalysis }> {
    const { store, clock, log } = this.ctx;
    const analysis = analyzeBounce(raw);
    const now = clock.now();
    const reportId = `r${now.toString(36)}${randomBytes(4).toString('hex')}`;
    await this.ctx.spool.saveReport(reportId, raw);
    store.bounces.insertReport({
      id: reportId,
      receivedAt: now,
      kind: analysis.kind,
      verpMessage: verp.messageId,
      client,
      size: raw.length,
    });
    log.info('report', {
      report: reportId,
      msg: verp.messageId,
      kind: analysis.kind,
      rcpts: analysis.recipients.length,
    });
    if (analysis.kind === 'none') return { reportId, analysis };

    const candidates = store.queue.recipientsOf(verp.messageId, [
      'queued',
      'sending',
      'delivered',
      'deferred',
      'bounced',
      'expired',
      'captured',
      'complained',
      'cancelled',
      'suppressed',
    ]);
    for (const entry of analysis.recipients) {
      const row = this.matchRecipient(entry, verp.recipientId, candidates);
      if (!row) {
        log.warn('report-unmatched', { report: reportId, msg: verp.messageId, rcpt: entry.recipient });
        continue;
      }
      // A delay notice tells that the remote side is still trying: nothing has failed yet.
      if (analysis.kind === 'bounce' && entry.action === 'delayed') continue;
      this.save(
        {
          at: now,
          messageId: verp.messageId,
          recipientId: row.id,
          recipient: row.address,
          origin: 'async',
          kind: analysis.kind,
          reason: entry.reason,
          hard: entry.hard,
          status: entry.status,
          replyCode: entry.replyCode,
          diagnostic: entry.diagnostic,
          remoteMta: entry.remoteMta,
          explanation: entry.explanation,
          reportId,
        },
        row.status,
      );
    }
    return { reportId, analysis };
  }

  private matchRecipient(
    entry: AnalyzedRecipient,
    recipientId: number,
    candidates: RecipientRow[],
  ): RecipientRow | undefined {
    if (recipientId > 0) return candidates.find((c) => c.id === recipientId);
    const address = entry.recipient.toLowerCase();
    return (
      candidates.find((c) => c.address.toLowerCase() === address) ??
      (candidates.length === 1 ? candidates[0] : undefined)
    );
  }

  /** Stores the bounce and applies its consequences in one transaction, then tells the console. */
  private save(b: NewBounce, currentStatus?: RecipientStatus): void {
    const { store, events, log } = this.ctx;
    const newStatus: RecipientStatus | undefined =
      b.kind === 'complaint'
        ? 'complained'
        : b.kind === 'bounce' && b.origin === 'async'
          ? 'bounced'
          : undefined;
    const suppressAs =
      b.kind === 'complaint'
        ? 'complaint'
        : b.kind === 'bounce' && b.hard === true
          ? 'hard-bounce'
          : undefined;
    let id = 0;
    let suppressed = false;
    store.db.transaction(() => {
      id = store.bounces.insert(b);
      if (newStatus && b.messageId && b.recipientId !== null && currentStatus !== newStatus) {
        const outcome: Outcome = {
          recipientId: b.recipientId,
          messageId: b.messageId,
          address: b.recipient,
          status: newStatus,
          nextAttemptAt: null,
          lastReply: [b.replyCode, b.status, b.diagnostic].filter(Boolean).join(' ') || b.reason,
          attempt: null,
          event: { type: newStatus, detail: `${b.reason}: ${b.diagnostic || b.explanation}`.slice(0, 500) },
          at: b.at,
        };
        store.queue.record([outcome]);
      }
      if (b.kind === 'auto-reply' && b.messageId) {
        store.queue.addEvent(b.messageId, b.recipient, 'auto-reply', b.diagnostic.slice(0, 500), b.at);
      }
      if (suppressAs) {
        suppressed = store.suppressions.add({
          address: b.recipient,
          reason: suppressAs,
          detail: `${b.reason}${b.diagnostic ? `: ${b.diagnostic}` : ''}`.slice(0, 500),
          messageId: b.messageId,
          createdAt: b.at,
        });
      }
    })();
    log.info(b.kind === 'bounce' ? 'bounce' : b.kind, {
      msg: b.messageId ?? undefined,
      rcpt: b.recipient,
      origin: b.origin,
      reason: b.reason,
      hard: b.hard === null ? undefined : b.hard,
      suppressed: suppressed || undefined,
    });
    const record: BounceRecord | undefined = store.bounces.get(id);
    if (record) events.emit('bounce.recorded', record);
    if (suppressed) {
      const entry = store.suppressions.find(b.recipient);
      if (entry) events.emit('suppression.changed', { address: entry.address, suppression: entry });
    }
    if (b.messageId && newStatus) {
      const summary = store.messages.summary(b.messageId);
      if (summary) events.emit('message.changed', summary);
    }
  }
}
