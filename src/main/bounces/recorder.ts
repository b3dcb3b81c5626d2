import type { AnalyzedRecipient, BounceAnalysis, BounceRecord } from '@shared/domain/bounce';
import { RECIPIENT_STATUSES, type RecipientStatus } from '@shared/domain/message';
import { isDelayNotice, suppressionFor } from '@shared/domain/suppression-rule';
import type { SmtpAnswer } from '../delivery/reply';
import type { EngineContext } from '../engine/context';
import type { NewBounce } from '../store/bounces-repo';
import { classifyReply } from './classify';

interface RecipientRow {
  id: number;
  address: string;
  status: RecipientStatus;
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The part of a report that is about `row`, the recipient its return path names: the entry
 * naming that recipient (a failure before a delay); otherwise the report's only entry, unless
 * it names another recipient of the same message. So a report that names no one, or an address
 * the mail was forwarded or rewritten to, still counts for the recipient whose return path it
 * came back to, and one recipient can never bounce or complain on behalf of another.
 */
export function entryAbout(
  row: RecipientRow,
  entries: AnalyzedRecipient[],
  recipients: RecipientRow[],
): AnalyzedRecipient | undefined {
  const own = entries.filter((e) => same(e.recipient, row.address));
  if (own.length > 0) return own.find((e) => e.action !== 'delayed') ?? own[0];
  const [only, ...more] = entries;
  if (!only || more.length > 0) return undefined;
  const another = recipients.some((r) => r.id !== row.id && same(r.address, only.recipient));
  return another ? undefined : only;
}

/** What a recorded bounce tells the console once its transaction has committed. */
export type AfterCommit = () => void;

/**
 * Turns bounces into their consequences, the same way whether the recipient server refused
 * during delivery (synchronous) or a report came back later (asynchronous): a bounce row with
 * reason and explanation, the recipient's new status (a lifecycle transition, refused when the
 * recipient has moved on), an event, and — for hard bounces and complaints — the address on the
 * suppression list. All of it in one transaction; the console hears of it after the commit.
 */
export class BounceRecorder {
  constructor(private readonly ctx: EngineContext) {}

  /**
   * A 5xx reply during delivery, written inside the caller's transaction (the delivery outcome
   * that moved the recipient to `bounced`), so outcome, bounce and suppression commit together.
   * Returns what to tell the console after the commit.
   */
  recordSyncInTransaction(
    messageId: string,
    recipientId: number,
    address: string,
    answer: SmtpAnswer,
    remoteMta: string,
  ): AfterCommit {
    const { reason, hard, explanation } = classifyReply({
      status: answer.enhanced,
      replyCode: answer.code ?? '',
      diagnostic: answer.text,
      action: 'failed',
      ...(answer.command ? { command: answer.command } : {}),
    });
    return this.write({
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
   * A report the bounce listener kept (already fsynced in `spool/reports/<id>.eml`): its row and
   * what it means are stored in one transaction, applied to the one recipient its return path
   * names — never to anyone else, whatever addresses the report itself contains (see
   * `entryAbout`). Mail sent before return paths named one recipient (recipient 0) is applied
   * only when its message has just one recipient. The same bytes for the same message a second
   * time are not applied again: `duplicateOf` names the report already stored.
   */
  recordReport(report: {
    id: string;
    analysis: BounceAnalysis;
    size: number;
    client: string;
    sha256?: string;
    verp: { messageId: string; recipientId: number };
  }): { duplicateOf?: string } {
    const { store, clock, log } = this.ctx;
    const { id: reportId, analysis, verp } = report;
    const now = clock.now();
    let after: AfterCommit | undefined;
    const stored = store.db.transaction(() => {
      const inserted = store.bounces.insertReport({
        id: reportId,
        receivedAt: now,
        kind: analysis.kind,
        verpMessage: verp.messageId,
        client: report.client,
        size: report.size,
        ...(report.sha256 ? { sha256: report.sha256 } : {}),
      });
      if (inserted.duplicateOf || analysis.kind === 'none') return inserted;

      const candidates = store.queue.recipientsOf(verp.messageId, [...RECIPIENT_STATUSES]);
      const notApplied = (reason: string, named?: string) =>
        log.warn('report-not-applied', { report: reportId, msg: verp.messageId, reason, named });
      const row =
        verp.recipientId > 0
          ? candidates.find((c) => c.id === verp.recipientId)
          : candidates.length === 1
            ? candidates[0]
            : undefined;
      if (!row) {
        notApplied(verp.recipientId > 0 ? 'unknown-recipient' : 'shared-return-path');
        return inserted;
      }
      const entry = entryAbout(row, analysis.recipients, candidates);
      if (!entry) {
        const named = analysis.recipients.map((r) => r.recipient).join(',');
        notApplied('names-other-recipients', named.slice(0, 200));
        return inserted;
      }
      // A delay notice tells that the remote side is still trying: nothing has failed yet.
      if (isDelayNotice(analysis.kind, entry)) return inserted;
      after = this.write({
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
      });
      return inserted;
    })();
    log.info(stored.duplicateOf ? 'report-duplicate' : 'report', {
      report: reportId,
      msg: verp.messageId,
      rcpt_id: verp.recipientId,
      kind: analysis.kind,
      rcpts: analysis.recipients.length,
      same_as: stored.duplicateOf,
    });
    after?.();
    return stored;
  }

  /**
   * Writes a bounce and its consequences (call inside a transaction): the bounce row, the
   * recipient's transition for an asynchronous bounce or complaint, the auto-reply event, the
   * suppression. Returns what to log and push once committed.
   */
  private write(b: NewBounce): AfterCommit {
    const { store, events, log } = this.ctx;
    const event =
      b.kind === 'complaint'
        ? ('complained' as const)
        : b.kind === 'bounce' && b.origin === 'async'
          ? ('reportBounced' as const)
          : undefined;
    const suppressAs = suppressionFor(b.kind, b);
    const id = store.bounces.insert(b);
    let moved = false;
    let refusedFrom: string | undefined;
    if (event && b.messageId && b.recipientId !== null) {
      const { applied, refused } = store.queue.transition(event, [
        {
          recipientId: b.recipientId,
          messageId: b.messageId,
          address: b.recipient,
          at: b.at,
          detail: `${b.reason}: ${b.diagnostic || b.explanation}`.slice(0, 500),
          nextAttemptAt: null,
          lastReply: [b.replyCode, b.status, b.diagnostic].filter(Boolean).join(' ') || b.reason,
        },
      ]);
      moved = applied.length > 0;
      refusedFrom = refused[0]?.status;
    }
    if (b.kind === 'auto-reply' && b.messageId) {
      store.queue.addEvent(b.messageId, b.recipient, 'auto-reply', b.diagnostic.slice(0, 500), b.at);
    }
    const suppressed = suppressAs
      ? store.suppressions.add({
          address: b.recipient,
          reason: suppressAs,
          detail: `${b.reason}${b.diagnostic ? `: ${b.diagnostic}` : ''}`.slice(0, 500),
          messageId: b.messageId,
          createdAt: b.at,
        })
      : false;
    return () => {
      log.info(b.kind === 'bounce' ? 'bounce' : b.kind, {
        msg: b.messageId ?? undefined,
        rcpt: b.recipient,
        origin: b.origin,
        reason: b.reason,
        hard: b.hard === null ? undefined : b.hard,
        suppressed: suppressed || undefined,
      });
      // The fact is kept (bounce row, suppression); the recipient's settled status stays.
      if (refusedFrom)
        log.warn('transition-refused', {
          event,
          msg: b.messageId ?? undefined,
          rcpt: b.recipient,
          status: refusedFrom,
        });
      const record: BounceRecord | undefined = store.bounces.get(id);
      if (record) events.emit('bounce.recorded', record);
      if (suppressed) {
        const entry = store.suppressions.find(b.recipient);
        if (entry) events.emit('suppression.changed', { address: entry.address, suppression: entry });
      }
      if (b.messageId && moved) {
        const summary = store.messages.summary(b.messageId);
        if (summary) events.emit('message.changed', summary);
      }
    };
  }
}
