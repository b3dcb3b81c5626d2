import type { AutomaticSuppression } from './suppression-rule';

/**
 * Bounce reasons: the taxonomy established bounce analysers use (Sisimai's), plus `feedback`
 * (a complaint, ARF), `vacation` (an auto-reply) and `delivered` (a success notice).
 */
export const BOUNCE_REASONS = [
  'userunknown',
  'mailboxfull',
  'hostunknown',
  'filtered',
  'rejected',
  'blocked',
  'spamdetected',
  'expired',
  'policyviolation',
  'securityerror',
  'suspend',
  'systemerror',
  'networkerror',
  'toomanyconn',
  'notaccept',
  'mailererror',
  'norelaying',
  'mesgtoobig',
  'exceedlimit',
  'syntaxerror',
  'contenterror',
  'systemfull',
  'virusdetected',
  'hasmoved',
  'onhold',
  'undefined',
  'feedback',
  'vacation',
  'delivered',
] as const;
export type BounceReason = (typeof BOUNCE_REASONS)[number];

/** What a report is: a bounce (DSN or non-standard), a complaint (ARF), an auto-reply, a delivery notice, or none of these. */
export type ReportKind = 'bounce' | 'complaint' | 'auto-reply' | 'delivered' | 'none';

/** One recipient of a report, classified. */
export interface AnalyzedRecipient {
  /** The failed (or complaining) recipient; '' when the report does not name one. */
  recipient: string;
  reason: BounceReason;
  /** Enhanced status code, e.g. "5.1.1"; '' when none is known. */
  status: string;
  /** SMTP reply code, e.g. "550"; '' when none is known. */
  replyCode: string;
  /** true: permanent (hard), false: temporary (soft), null: not a bounce or undetermined. */
  hard: boolean | null;
  /** DSN Action (failed, delayed, delivered, relayed, expanded) or ''. */
  action: string;
  /** The remote server's own words (Diagnostic-Code or the bounce text). */
  diagnostic: string;
  /** The server that refused, when the report says. */
  remoteMta: string;
  /** The SMTP command the refusal answered (CONN, EHLO, HELO, MAIL, RCPT, DATA) or ''. */
  command: string;
  /** The kind of the remote server's words (Diagnostic-Code type: SMTP, X-UNIX, X-POSTFIX, …) or ''. */
  diagnosticType: string;
  /** Plain language: what happened and what to do next. */
  explanation: string;
}

export interface BounceAnalysis {
  kind: ReportKind;
  recipients: AnalyzedRecipient[];
  /** Message-ID of the original message the report returns or refers to, when found. */
  originalMessageId: string | null;
  /** The MTA that wrote the report, when it says. */
  reportingMta: string;
  /** ARF Feedback-Type (abuse, fraud, …) for complaints. */
  feedbackType: string | null;
}

/**
 * A recipient of a pasted report (`bounces.analyze`) with what the report would mean for the
 * address, had it come back for mail Relaydesk sent. Nothing is stored.
 */
export interface PastedRecipient extends AnalyzedRecipient {
  /**
   * The suppression the report would add (`hard-bounce`, `complaint`), or null: a soft bounce,
   * delay notice, auto-reply or delivery notice suppresses no one. The bounce recorder's own rule.
   */
  wouldSuppress: AutomaticSuppression | null;
  /** The address is on the suppression list now (for any reason): mail to it is refused already. */
  alreadySuppressed: boolean;
}

/** What `bounces.analyze` answers: the analysis, each recipient with what it would mean. */
export interface PastedBounceAnalysis extends Omit<BounceAnalysis, 'recipients'> {
  recipients: PastedRecipient[];
}

/** A recorded bounce, complaint or auto-reply of one recipient, as the Bounces page lists it. */
export interface BounceRecord {
  id: number;
  at: number;
  messageId: string | null;
  recipient: string;
  /** sync: the recipient server refused during delivery; async: a report came back later. */
  origin: 'sync' | 'async';
  kind: Exclude<ReportKind, 'none'>;
  reason: BounceReason;
  hard: boolean | null;
  status: string;
  replyCode: string;
  diagnostic: string;
  remoteMta: string;
  explanation: string;
  reportId: string | null;
  /** Of the original message, when known. */
  subject: string;
  connectionName: string;
}

export interface BounceDetail extends BounceRecord {
  /** The report as received (async only), decoded as UTF-8 for display. */
  rawReport: string | null;
}
