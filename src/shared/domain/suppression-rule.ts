import type { AnalyzedRecipient, ReportKind } from './bounce';
import type { SuppressionReason } from './suppression';

/** The reasons Relaydesk puts an address on the suppression list by itself (`manual` is the operator's). */
export type AutomaticSuppression = Exclude<SuppressionReason, 'manual'>;

type Entry = Pick<AnalyzedRecipient, 'hard'> & { action?: string };

/**
 * A delay notice: the remote side is still trying, nothing has failed yet. The bounce recorder
 * records nothing for such an entry of a report.
 */
export function isDelayNotice(kind: ReportKind, recipient: Entry): boolean {
  return kind === 'bounce' && recipient.action === 'delayed';
}

/**
 * The one rule for when a report suppresses an address: a complaint always does; a bounce does
 * when it is hard (permanent) and not a delay notice. Auto-replies, delivery notices and soft
 * bounces never do. The bounce recorder applies it to what it records and `bounces.analyze` to a
 * pasted report, so the Analyze box cannot disagree with what a real report would do.
 */
export function suppressionFor(kind: ReportKind, recipient: Entry): AutomaticSuppression | null {
  if (kind === 'complaint') return 'complaint';
  if (kind === 'bounce' && recipient.hard === true && !isDelayNotice(kind, recipient)) return 'hard-bounce';
  return null;
}
