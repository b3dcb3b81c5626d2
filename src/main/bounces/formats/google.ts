import type { BounceReason } from '@shared/domain/bounce';
import { firstAddress, isAddress } from '../addresses';
import { emptyFacts, type RecipientFacts } from '../facts';
import { header, headers, type MimePart } from '../mime';
import { findCommand, findReplyCode, findStatus } from '../smtp-codes';
import { joinDiagnostic, remoteHost } from './text-bounce';

/**
 * Gmail's own reports: the plain-text notices Gmail wrote before it sent DSNs, Google Groups
 * refusals (localised prose, only the header names the group), and the prose part of today's
 * DSNs, which says what the SMTP conversation step was.
 */

export function isFromGoogle(root: MimePart): boolean {
  return /mailer-daemon@(?:googlemail|google)\.com/i.test(header(root, 'from'));
}

/**
 * "(state 14)" in an old Gmail notice is the step of Gmail's SMTP client that failed; it tells
 * the command and what kind of refusal it was.
 */
const GMAIL_STATES: Readonly<Record<string, { command: string; reason: BounceReason }>> = {
  '6': { command: 'MAIL', reason: 'systemerror' },
  '8': { command: 'MAIL', reason: 'systemerror' },
  '9': { command: 'MAIL', reason: 'systemerror' },
  '12': { command: 'MAIL', reason: 'norelaying' },
  '13': { command: 'EHLO', reason: 'blocked' },
  '14': { command: 'RCPT', reason: 'userunknown' },
  '15': { command: 'DATA', reason: 'filtered' },
  '17': { command: 'DATA', reason: 'filtered' },
  '18': { command: 'DATA', reason: 'filtered' },
};

const GMAIL_MESSAGES: readonly (readonly [string, BounceReason])[] = [
  ['dns error: could not contact dns servers', 'expired'],
  ['delivery to the following recipient has been delayed', 'expired'],
  ['the recipient server did not accept our requests to connect', 'expired'],
  ['dns error: domain name not found', 'hostunknown'],
  ['dns error: dns server returned answer with no data', 'hostunknown'],
];

/** Status codes whose subject and detail say something (not x.0.x, "other"). */
function isSpecific(status: string): boolean {
  return status !== '' && !status.includes('.0');
}

/** The plain-text Gmail notice: "Delivery to the following recipient failed permanently:". */
export function readGmailNotice(
  root: MimePart,
  notice: string,
  statusName: (s: string) => string,
): RecipientFacts[] {
  if (!isFromGoogle(root) || !/delivery status notification/i.test(header(root, 'subject'))) return [];
  const start = notice.search(/^Delivery to the following recipient/m);
  if (start < 0) return [];
  const lines = notice.slice(start).split(/\r?\n/);
  const facts: RecipientFacts[] = [];
  let current: RecipientFacts | null = null;
  const words: string[] = [];
  for (const line of lines.slice(1)) {
    const addr = /^\s+(\S+@\S+)\s*$/.exec(line)?.[1];
    if (addr && isAddress(firstAddress(addr))) {
      current = emptyFacts(firstAddress(addr));
      facts.push(current);
      continue;
    }
    words.push(line);
  }
  const text = joinDiagnostic([lines[0] ?? '', ...words]);
  const lower = text.toLowerCase();
  const state = /\(state (\d+)\)/.exec(text)?.[1];
  for (const f of facts) {
    f.diagnostic = text;
    f.status = findStatus(text);
    f.replyCode = findReplyCode(text.replace(/^.*?(?:returned was:|returned was)\s*/i, ''));
    f.remoteMta = remoteHost(text) || (/ by ([a-z0-9.-]+)\. \[/i.exec(text)?.[1] ?? '');
    f.action = /delayed|temporary failure/i.test(text) ? 'delayed' : 'failed';
    const known = state ? GMAIL_STATES[state] : undefined;
    if (known) {
      f.command = known.command;
      f.presetReason = known.reason;
    } else {
      f.command = findCommand(text);
      f.presetReason = GMAIL_MESSAGES.find(([p]) => lower.includes(p))?.[1];
    }
    // A specific status code outranks the state: Gmail relays the remote server's own code.
    if (f.presetReason && isSpecific(f.status)) {
      const named = statusName(f.status);
      if (named) f.presetReason = named as BounceReason;
    }
  }
  return facts;
}

/**
 * Google Groups refusing a post: the prose is in the poster's language, the group address is
 * in X-Failed-Recipients. Either the group does not exist or the sender may not post to it.
 */
export function readGoogleGroups(root: MimePart, notice: string): RecipientFacts[] {
  if (!isFromGoogle(root)) return [];
  const groups = headers(root, 'x-failed-recipients')
    .flatMap((v) => v.split(','))
    .map(firstAddress)
    .filter((a) => a.endsWith('@googlegroups.com'));
  return [...new Set(groups)].map((g) => ({
    ...emptyFacts(g),
    diagnostic: notice.trim().slice(0, 2000),
    action: 'failed',
    presetReason: 'rejected' as const,
  }));
}

/**
 * In a Gmail DSN, "** Address not found **" over a server reply means the remote server
 * refused the recipient (RCPT TO); over a DNS error it is about the domain.
 */
export function refineGoogleDsn(root: MimePart, notice: string, facts: RecipientFacts[]): RecipientFacts[] {
  if (!isFromGoogle(root) || !/^\*\* Address not found \*\*/m.test(notice)) return facts;
  const response = /The response (?:from the remote server )?was:\s*([\s\S]{0,1000})/i.exec(notice)?.[1];
  if (response === undefined) {
    // No reply quoted: the heading is Gmail's own verdict on the address.
    return facts.map((f) => ({ ...f, presetReason: f.presetReason ?? 'userunknown' }));
  }
  if (!/^\s*[45]\d\d[\s-]/.test(response)) return facts;
  return facts.map((f) => ({
    ...f,
    command: f.command || 'RCPT',
    diagnostic: f.diagnostic || joinDiagnostic(response.split(/\r?\n/)),
  }));
}
