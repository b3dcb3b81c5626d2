export const SUPPRESSION_REASONS = ['hard-bounce', 'complaint', 'manual'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** An address Relaydesk will not send to: refused at RCPT TO until removed. */
export interface Suppression {
  address: string;
  reason: SuppressionReason;
  /** Why, in words: the bounce reason and diagnostic, the complaint, or the operator's note. */
  detail: string;
  /** The message that caused it, if any. */
  messageId: string | null;
  createdAt: number;
}
