import type { BounceReason } from '@shared/domain/bounce';
import { emptyFacts, type RecipientFacts } from './facts';
import { normalizeText, phraseMatches, saysReason } from './phrases';
import { providerReason } from './providers';
import {
  CONNECTION_COMMANDS,
  DECISIVE_RULES,
  type DecisiveRule,
  FALLBACK_ORDER,
  LOCAL_MAILER_TYPES,
  REASON_POLICY,
  RETRY_REASONS,
  STATUS_REASONS,
} from './rules';
import { commandName, findCommand, findReplyCode, findStatus, isStatusCode } from './smtp-codes';

export interface Classification {
  reason: BounceReason;
  hard: boolean | null;
  explanation: string;
}

/**
 * Classify a synchronous SMTP reply (e.g. `550 5.1.1 <a@b>: User unknown`) the same way as a
 * recipient of a bounce report.
 */
export function classifyReply(input: {
  status?: string;
  replyCode?: string | number;
  diagnostic: string;
  action?: string;
  /** The command the reply answered (RCPT, DATA, …) when the caller knows it. */
  command?: string;
}): Classification {
  const diagnostic = input.diagnostic ?? '';
  const facts: RecipientFacts = {
    ...emptyFacts(),
    diagnostic,
    diagnosticType: 'SMTP',
    replyCode: String(input.replyCode ?? '') || findReplyCode(diagnostic),
    status: (input.status && isStatusCode(input.status) ? input.status : '') || findStatus(diagnostic),
    action: (input.action ?? '').toLowerCase(),
    command: commandName(input.command ?? '') || findCommand(diagnostic),
  };
  return describe(decideReason(facts), facts);
}

/** The reason, permanence and explanation for one recipient's facts. */
export function describe(
  reason: BounceReason,
  facts: Pick<RecipientFacts, 'status' | 'replyCode'>,
): Classification {
  const policy = REASON_POLICY[reason];
  return { reason, hard: permanence(reason, facts), explanation: policy.explanation };
}

function permanence(
  reason: BounceReason,
  facts: Pick<RecipientFacts, 'status' | 'replyCode'>,
): boolean | null {
  if (reason === 'notaccept') {
    // A null MX is permanent; a server that is only busy right now is not.
    const first = (facts.status || facts.replyCode).charAt(0);
    return first !== '4';
  }
  return REASON_POLICY[reason].hard;
}

/**
 * Weigh the evidence: what the format said outright, what the remote host is known to mean,
 * then the reasons that decide on their own (status code or words, in order), then the
 * vaguer reasons, then what is left (expired for delays, onhold when there are words at all).
 */
export function decideReason(f: RecipientFacts, reportingMta = ''): BounceReason {
  const text = normalizeText(f.diagnostic);
  const action = f.action.toLowerCase();
  if (f.status.startsWith('2.') || action === 'delivered' || action === 'relayed' || action === 'expanded') {
    return 'delivered';
  }
  if (f.presetReason && !RETRY_REASONS.includes(f.presetReason)) return unlessNetwork(f.presetReason, text);

  const byProvider = providerReason(f, text, reportingMta);
  if (byProvider) return byProvider;

  const statusReason = STATUS_REASONS[f.status] ?? '';
  // Words that only ever mean one thing decide whatever the report's dialect.
  const strong = DECISIVE_RULES.find((r) => (r.strongPhrases ?? []).some((p) => phraseMatches(text, p)));
  if (strong) return strong.reason;
  const type = f.diagnosticType.toUpperCase();
  // Postfix writes every diagnostic of its own as X-Postfix — a remote server's reply it quotes
  // ("host … said: 550 …") as well as its local agents' verdicts ("unknown user") — so its words
  // weigh like an SMTP reply's; only X-Unix names a local program's failure.
  if (type === '' || type === 'SMTP' || type === 'X-POSTFIX') {
    const facts = localVerdict(f, type, text);
    for (const rule of DECISIVE_RULES) {
      if (decides(rule, facts, text, statusReason)) return senderSide(rule.reason, facts);
    }
  }
  if (f.presetReason) return f.presetReason;

  const vague = statusReason === '' || statusReason === 'userunknown' || RETRY_REASONS.includes(statusReason);
  if (!vague) return unlessNetwork(statusReason as BounceReason, text);

  const fallback = fallbackReason(f, text, type);
  if (fallback) return fallback;
  if (statusReason) return statusReason;
  if (action === 'delayed') return 'expired';
  // Words no rule understood are held for a person (onhold) when a server answered with a reply
  // code; a failure with nothing but the catch-all 5.0.0 status says too little even for that.
  if (!text || (/^5\.0\.0$/.test(f.status) && !f.replyCode)) return 'undefined';
  return 'onhold';
}

/**
 * A mail that expired (or is still waiting) because the destination could not be reached: the
 * network failure is the reason, it outranks "expired".
 */
function unlessNetwork(reason: BounceReason, text: string): BounceReason {
  return reason === 'expired' && saysReason(text, 'networkerror') ? 'networkerror' : reason;
}

function decides(rule: DecisiveRule, f: RecipientFacts, text: string, statusReason: string): boolean {
  if (rule.needsStatus && !f.status) return false;
  if (rule.byStatus && statusReason === rule.reason) {
    return !(rule.unlessPhrasesOf ?? []).some((r) => saysReason(text, r));
  }
  if (rule.notWhenStatusIs?.includes(statusReason as BounceReason)) return false;
  const anyCommand = rule.anyCommandWhenStatusIs?.includes(statusReason) ?? false;
  if (rule.onlyCommands && !anyCommand && !rule.onlyCommands.includes(f.command)) return false;
  if (rule.notCommands?.includes(f.command)) return false;
  if (saysReason(text, rule.reason)) return true;
  return (rule.alsoPhrasesOf ?? []).some((r) => saysReason(text, r));
}

/**
 * An X-Postfix diagnostic that quotes no remote host ("host … said: …") is the verdict of
 * Postfix's own delivery agent (local, virtual, error) on the address — where a remote server
 * would have answered RCPT TO — so it is judged as an answer to RCPT.
 */
function localVerdict(f: RecipientFacts, type: string, text: string): RecipientFacts {
  if (type !== 'X-POSTFIX' || f.command || /\bsaid:/.test(text)) return f;
  return { ...f, command: 'RCPT' };
}

/** At MAIL FROM, "does not exist" is about the sender: the server refused the sender. */
function senderSide(reason: BounceReason, f: RecipientFacts): BounceReason {
  if (f.command === 'MAIL' && (reason === 'userunknown' || reason === 'hostunknown')) return 'rejected';
  return reason;
}

function fallbackReason(f: RecipientFacts, text: string, type: string): BounceReason | '' {
  for (const reason of FALLBACK_ORDER) if (saysReason(text, reason)) return reason;
  const subject = f.status.slice(0, 3);
  if (subject === '5.6' || subject === '4.6') return 'contenterror';
  if (subject === '5.7' || subject === '4.7') return 'securityerror';
  // Refused at connect or greeting: the other side does not want this sending host.
  if (CONNECTION_COMMANDS.includes(f.command)) return 'blocked';
  if (LOCAL_MAILER_TYPES.includes(type)) return 'mailererror';
  if (/^[45]0[0-7]$/.test(f.replyCode)) return 'syntaxerror';
  const action = f.action.toLowerCase();
  if (action === 'delayed' || action === 'expired') {
    // Still (or no longer) retrying: expired, unless the status says the network failed.
    return STATUS_REASONS[f.status] === 'networkerror' ? 'networkerror' : 'expired';
  }
  return '';
}
