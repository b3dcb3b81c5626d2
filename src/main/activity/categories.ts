import type { ActivityCategory } from '@shared/domain/activity';

/** What a refusal's category is decided from, when the refusal did not name it itself. */
export interface RefusalFacts {
  /** Upper-case command word; empty at connect. */
  command: string;
  code: number;
  /** Enhanced status code of the reply, if it has one. */
  enhanced: string | undefined;
  /** The session had finished STARTTLS. */
  secure: boolean;
}

interface Rule {
  command?: readonly string[];
  code?: number;
  enhanced?: RegExp;
  /** Only before STARTTLS. */
  insecure?: true;
  category: ActivityCategory;
}

/**
 * The category of a refusal, first rule that matches. Policy as data: Relaydesk's own replies
 * are told apart by command and enhanced code (a refusal whose code alone is ambiguous, like a
 * lockout's 4.7.0, names its category itself); smtp-server's own replies (size, syntax, order,
 * AUTH before STARTTLS, which it does not offer then) by their reply code.
 */
export const CATEGORY_RULES: readonly Rule[] = [
  { code: 552, category: 'size' },
  { enhanced: /^[45]\.3\.4$/, category: 'size' },
  { enhanced: /^4\.4\.2$/, category: 'timeout' },
  { command: ['AUTH', 'MAIL', 'RCPT', 'DATA'], insecure: true, category: 'tls' },
  { enhanced: /^5\.7\.8$/, category: 'auth-failed' },
  { command: ['AUTH'], code: 535, category: 'auth-failed' },
  { code: 530, category: 'auth-required' },
  { command: ['RCPT'], enhanced: /^5\.(1\.1|7\.1)$/, category: 'recipient-suppressed' },
  { enhanced: /^5\.1\.3$/, category: 'recipient-refused' },
  { enhanced: /^4\.(5\.3|7\.1)$/, category: 'limit' },
  { code: 452, category: 'limit' },
  { enhanced: /^5\.7\.1$/, category: 'sender-refused' },
  { enhanced: /^5\.6\.0$/, category: 'content' },
  { enhanced: /^4\.3\./, category: 'internal' },
  { code: 421, enhanced: /^4\.7\.0$/, category: 'limit' },
  { category: 'protocol' },
];

export function categoryOf(facts: RefusalFacts): ActivityCategory {
  for (const rule of CATEGORY_RULES) {
    if (rule.command && !rule.command.includes(facts.command)) continue;
    if (rule.code !== undefined && rule.code !== facts.code) continue;
    if (rule.enhanced && !(facts.enhanced && rule.enhanced.test(facts.enhanced))) continue;
    if (rule.insecure && facts.secure) continue;
    return rule.category;
  }
  return 'protocol';
}

/** The enhanced status code of a reply line like `550 5.7.1 text`. */
export function enhancedCodeOf(reply: string): string | undefined {
  return /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(reply)?.[1];
}
