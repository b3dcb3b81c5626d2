import type { AnalyzedRecipient, BounceAnalysis } from '@shared/domain/bounce';
import { firstAddress } from './addresses';
import { decideReason, describe } from './classify';
import { emptyFacts, type RecipientFacts } from './facts';
import { readSesNotification } from './formats/amazon-ses';
import { readFeedbackReport } from './formats/arf';
import { type AutoReply, readAutomaticMail, readAutoReply } from './formats/auto-reply';
import { findDeliveryStatusParts, readDeliveryStatus } from './formats/dsn';
import { refineGoogleDsn } from './formats/google';
import { readVendorBounce } from './formats/vendors';
import { header, type MimePart, parseMessage } from './mime';
import { notificationText } from './notification';
import { findOriginalMessageId } from './original-message';
import {
  failedRecipientsHeader,
  inlineDeliveryStatus,
  mergeTextFacts,
  readNotice,
  returnedRecipient,
} from './recipients';

/**
 * Read any bounce, delivery-status, complaint or auto-reply mail and say, per recipient, what
 * happened. Pure, synchronous, and bounded: it never throws and never waits.
 */
export function analyzeBounce(raw: Buffer | string): BounceAnalysis {
  try {
    return analyzeStrict(raw);
  } catch {
    // A report we cannot read is not a report; the caller keeps the mail for a human.
    return { kind: 'none', recipients: [], originalMessageId: null, reportingMta: '', feedbackType: null };
  }
}

/**
 * The analysis without the safety net, so tests can prove the net is never needed: a throw
 * here is a bug even though analyzeBounce would hide it.
 */
export function analyzeStrict(raw: Buffer | string): BounceAnalysis {
  return analyzeParsed(parseMessage(raw ?? ''));
}

/** The analysis of a mail already parsed into its MIME tree. */
export function analyzeParsed(root: MimePart): BounceAnalysis {
  const originalMessageId = findOriginalMessageId(root);

  const complaint = readFeedbackReport(root);
  if (complaint) {
    const recipients = (complaint.recipients.length ? complaint.recipients : ['']).map((r) =>
      analyzed({ ...emptyFacts(r), presetReason: 'feedback' }, 'feedback'),
    );
    return {
      kind: 'complaint',
      recipients,
      originalMessageId,
      reportingMta: complaint.reportingMta,
      feedbackType: complaint.feedbackType || null,
    };
  }

  const notice = notificationText(root);
  const ses = readSesNotification(notice);
  if (ses && ses.recipients.length > 0) {
    const recipients = ses.recipients.map((f) => analyzed(f, decideReason(f, ses.reportingMta)));
    return {
      kind: ses.kind,
      recipients,
      originalMessageId: originalMessageId ?? ses.originalMessageId,
      reportingMta: ses.reportingMta,
      feedbackType: ses.feedbackType,
    };
  }
  // The original sender and the reporting system are named in every bounce; never as recipients.
  const exclude = new Set(
    [firstAddress(header(root, 'to')), firstAddress(header(root, 'from'))].filter(Boolean),
  );
  let reportingMta = '';
  let facts: RecipientFacts[] = [];
  for (const part of findDeliveryStatusParts(root)) {
    const report = readDeliveryStatus(part.text);
    reportingMta ||= report.reportingMta;
    facts.push(...report.recipients);
  }
  if (facts.length === 0) facts = inlineDeliveryStatus(notice);

  if (facts.length > 0) {
    facts = refineGoogleDsn(root, notice, mergeTextFacts(facts, readNotice(notice, new Set()), notice));
  } else {
    const reply = readAutoReply(root);
    if (reply) return autoReply(reply, originalMessageId);
    facts = readVendorBounce(root, notice) ?? readNotice(notice, exclude);
    if (facts.length === 0) facts = failedRecipientsHeader(root, notice);
    if (facts.length === 0) facts = returnedRecipient(root, notice);
    const action = proseAction(header(root, 'subject'), notice);
    facts = facts.map((f) => stillWaiting(f.action ? f : { ...f, action }));
  }

  facts = facts.filter((f) => f.recipient !== '' || facts.length === 1);
  if (facts.length === 0) {
    const automatic = readAutomaticMail(root);
    if (automatic) return autoReply(automatic, originalMessageId);
    return { kind: 'none', recipients: [], originalMessageId, reportingMta, feedbackType: null };
  }
  const recipients = facts.map((f) => analyzed(f, decideReason(f, reportingMta)));
  const allDelivered = recipients.every((r) => r.reason === 'delivered');
  return {
    kind: allDelivered ? 'delivered' : 'bounce',
    recipients,
    originalMessageId,
    reportingMta: reportingMta || (firstAddress(header(root, 'from')).split('@')[1] ?? ''),
    feedbackType: null,
  };
}

function autoReply(reply: AutoReply, originalMessageId: string | null): BounceAnalysis {
  return {
    kind: 'auto-reply',
    recipients: [analyzed({ ...emptyFacts(reply.recipient), presetReason: 'vacation' }, 'vacation')],
    originalMessageId: originalMessageId ?? (reply.inReplyTo || null),
    reportingMta: '',
    feedbackType: null,
  };
}

function analyzed(f: RecipientFacts, reason: AnalyzedRecipient['reason']): AnalyzedRecipient {
  const c = describe(reason, f);
  return {
    recipient: f.recipient,
    reason,
    status: f.status,
    replyCode: f.replyCode,
    hard: c.hard,
    action: f.action,
    diagnostic: f.diagnostic,
    remoteMta: f.remoteMta,
    command: f.command,
    diagnosticType: f.diagnosticType,
    explanation: f.action.toLowerCase() === 'delayed' && c.hard ? DELAY_NOTICE : c.explanation,
  };
}

/** A hard reason in a delay notice: the server has not given up, so nothing is suppressed yet. */
const DELAY_NOTICE =
  "A delay notice: the recipient's server has not given up on the mail yet, so nothing is suppressed. If it fails for good, its final report says so.";

/**
 * A delay notice in prose quotes the last attempt's temporary reply (4xx): that reply says "try
 * later", not why the mail would fail, and what the notice reports is that the mail is still
 * waiting (expired). Words of the reporting server's own ("mailbox is full") still decide.
 */
function stillWaiting(f: RecipientFacts): RecipientFacts {
  if (f.action !== 'delayed' || !f.replyCode.startsWith('4') || f.presetReason) return f;
  return { ...f, presetReason: 'expired' };
}

/** A prose report has no Action field; its wording says whether delivery is still tried. */
function proseAction(subject: string, notice: string): string {
  const head = `${subject}\n${notice.slice(0, 3000)}`;
  const delayed =
    /\b(?:delayed|delay(?:ed)? notification|warning: message|will (?:be )?retr(?:y|ied)|still trying|temporary failure|not yet been delivered)\b/i;
  return delayed.test(head) ? 'delayed' : 'failed';
}
