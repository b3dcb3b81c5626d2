import type { BounceReason } from '@shared/domain/bounce';

/**
 * What a format reader found out about one recipient, before classification. Readers only
 * collect; the classifier decides, so a DSN, a qmail text and a synchronous SMTP reply are
 * judged by the same rules.
 */
export interface RecipientFacts {
  recipient: string;
  /** Enhanced status code (RFC 3463), '' when none. */
  status: string;
  /** Three-digit SMTP reply code, '' when none. */
  replyCode: string;
  /** The remote server's words. */
  diagnostic: string;
  /** Diagnostic-Code type: "SMTP", "X-UNIX", "X-POSTFIX", … or ''. */
  diagnosticType: string;
  action: string;
  /** The SMTP command the refusal answered: CONN, EHLO, HELO, MAIL, RCPT, DATA, or ''. */
  command: string;
  remoteMta: string;
  /**
   * A reason the format itself states (e.g. Gmail's session state, qmail's "sender was
   * rejected"); classification still refines the weak ones (see RETRY_REASONS).
   */
  presetReason?: BounceReason;
}

export function emptyFacts(recipient = ''): RecipientFacts {
  return {
    recipient,
    status: '',
    replyCode: '',
    diagnostic: '',
    diagnosticType: '',
    action: '',
    command: '',
    remoteMta: '',
  };
}
