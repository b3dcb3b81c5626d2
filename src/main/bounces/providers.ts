import type { BounceReason } from '@shared/domain/bounce';
import type { RecipientFacts } from './facts';
import { phraseMatches } from './phrases';
import type { Phrase } from './rules';

/**
 * Large mailbox providers document their own refusal codes and wording; when the refusal came
 * from one of them (by host name, or by a signature only they write), their meaning wins over
 * the general rules. Policy as data, like rules.ts.
 */
export interface ProviderRule {
  name: string;
  /** Remote or reporting MTA host names of the provider. */
  hosts?: RegExp;
  /** Text only this provider writes, recognised in the diagnostic itself. */
  signature?: RegExp;
  /** A code in the text (group 1 = the key) and what each code means; null = says nothing. */
  codes?: { pattern: RegExp; reasons: Readonly<Record<string, BounceReason | null>>; unknown?: BounceReason };
  /** Enhanced status codes with a provider-specific meaning. */
  statuses?: Readonly<Record<string, BounceReason>>;
  /** Phrases, first match wins. */
  phrases?: readonly (readonly [Phrase, BounceReason])[];
}

export const PROVIDERS: readonly ProviderRule[] = [
  {
    // Orange and La Poste end each refusal with a code such as OFR_506 or LPN007_416.
    name: 'Orange / La Poste',
    hosts: /(?:^|\.)(?:orange\.fr|wanadoo\.fr|laposte\.net)$/,
    signature: /\b(?:lpn|lpnaaa|ofr|ouk)(?:_\d{3}|\d{3}[-_]\d{3})\b/,
    codes: {
      pattern: /\b(?:lpn|lpnaaa|ofr|ouk)(?:_|\d{3}[-_])(\d{3})\b/,
      unknown: 'undefined',
      reasons: {
        '101': 'blocked',
        '102': 'blocked',
        '103': 'blocked',
        '104': 'toomanyconn',
        '105': null,
        '107': null,
        '108': null,
        '109': null,
        '201': null,
        '305': 'securityerror',
        '401': 'blocked',
        '402': 'securityerror',
        '403': 'rejected',
        '405': 'rejected',
        '415': 'rejected',
        '416': 'userunknown',
        '417': 'mailboxfull',
        '418': 'userunknown',
        '420': 'suspend',
        '421': 'rejected',
        '423': null,
        '424': null,
        '426': 'suspend',
        '505': 'systemerror',
        '506': 'spamdetected',
        '510': 'blocked',
        '513': null,
        '514': 'mesgtoobig',
        '517': 'blocked',
        '630': 'policyviolation',
        '999': 'blocked',
      },
    },
  },
  {
    // https://postmaster.facebook.com/response_codes
    name: 'Facebook',
    hosts: /(?:^|\.)facebook\.com$/,
    signature: /postmaster\.facebook\.com/,
    codes: {
      pattern: /\b([a-z]{3}-[pt][0-9x])\b/,
      reasons: {
        'pol-p1': 'blocked',
        'pol-p2': 'blocked',
        'pol-p3': 'blocked',
        'pol-p4': 'blocked',
        'pol-t1': 'blocked',
        'pol-t2': 'blocked',
        'pol-t3': 'blocked',
        'pol-p5': 'virusdetected',
        'pol-p6': 'spamdetected',
        'pol-p7': 'securityerror',
        'pol-p8': 'policyviolation',
        'msg-p1': 'mesgtoobig',
        'msg-p2': 'contenterror',
        'msg-p3': 'contenterror',
        'msg-t1': 'toomanyconn',
        'rcp-p1': 'userunknown',
        'rcp-p2': 'filtered',
        'rcp-p3': 'filtered',
        'rcp-t1': 'systemerror',
        'rcp-t4': 'suspend',
        'int-p1': 'userunknown',
        'int-p2': 'mesgtoobig',
        'int-p3': 'userunknown',
        'int-p4': 'userunknown',
        'int-p7': 'mailboxfull',
        'int-tx': 'systemerror',
        'dns-p1': 'rejected',
        'dns-p2': 'rejected',
        'dns-t1': 'rejected',
        'dns-p3': 'blocked',
        'dns-t2': 'blocked',
        'con-t1': 'toomanyconn',
        'con-t2': 'toomanyconn',
        'con-t3': 'toomanyconn',
        'con-t4': 'toomanyconn',
      },
    },
  },
  {
    // Tencent QQ: https://service.mail.qq.com/detail/122/...
    name: 'Tencent QQ',
    hosts: /(?:^|\.)qq\.com$/,
    signature: /service\.mail\.qq\.com/,
    phrases: [
      ['spf check failed', 'blocked'],
      ['dmarc check failed', 'blocked'],
      ['suspected bounce attacks', 'blocked'],
      ['suspected spam ip', 'blocked'],
      ['connection denied', 'blocked'],
      ['message too large', 'mesgtoobig'],
      ['mailbox unavailable or access denined', 'toomanyconn'],
      ['ip frequency limited', 'toomanyconn'],
      ['domain frequency limited', 'toomanyconn'],
      ['sender frequency limited', 'toomanyconn'],
      ['connection frequency limited', 'toomanyconn'],
      ['frequency of receiving messages is limited', 'toomanyconn'],
      ['spam is embedded in the email', 'spamdetected'],
      ['mail content denied', 'spamdetected'],
      ['suspected spam', 'rejected'],
      ['mail is rejected by recipients', 'filtered'],
      ['is a deactivated mailbox', 'suspend'],
      ['bad address syntax', 'syntaxerror'],
      ['mailbox not found', 'userunknown'],
    ],
  },
  {
    // Gmail and Google Workspace: https://support.google.com/a/answer/3726730
    name: 'Google',
    hosts: /(?:^|\.)(?:google\.com|googlemail\.com|gmail\.com)$/,
    phrases: [
      ['the spf record of the sending domain', 'blocked'],
      ['senders to authenticate with either spf or dkim', 'blocked'],
      ['fails to pass spf checks for an spf record with a hard fail', 'blocked'],
      ['has an spf record with a hard fail policy', 'blocked'],
      ["is not accepted due to domain's dmarc policy", 'blocked'],
      ['fails to pass authentication checks', 'blocked'],
      ['does not have authentication information', 'blocked'],
      ['senders to authenticate with spf', 'blocked'],
      ['senders to authenticate their email with', 'blocked'],
      ['very low reputation of the sending', 'blocked'],
      ['ip not in whitelist for rcpt domain', 'blocked'],
      ['an unusual rate of unsolicited mail', 'blocked'],
      ['an unusual rate of mail', 'blocked'],
      ['helo/ehlo argument is invalid', 'blocked'],
      ["your message exceeded google's message size limits", 'mesgtoobig'],
      ["exceeds google's message size limit of", 'mesgtoobig'],
      ['inbox is out of storage space', 'mailboxfull'],
      ['email quota exceeded', 'mailboxfull'],
      ['message exceeded 50 hops', 'networkerror'],
      ['mail relay denied', 'norelaying'],
      ['invalid credentials for relay', 'norelaying'],
      ['is not authorized to send email directly to our servers', 'norelaying'],
      ['content presents a potential', 'policyviolation'],
      ['missing a valid address in the from: header', 'policyviolation'],
      ['multiple addresses in from: header are not accepted', 'policyviolation'],
      ['is not rfc 5322 compliant', 'contenterror'],
      ['likely unsolicited mail', 'spamdetected'],
      ['has been disabled or discontinued', 'suspend'],
      ['the email account that you tried to reach is disabled', 'suspend'],
      ['the email account that you tried to reach does not exist', 'userunknown'],
    ],
  },
  {
    // Exchange Online: https://learn.microsoft.com/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online
    name: 'Microsoft',
    hosts: /(?:^|\.)(?:outlook\.com|hotmail\.com|live\.com|office365\.com|protection\.outlook\.com)$/,
    signature: /\b(?:resolver|routing)\.[a-z]{2,}\.[a-z]+|sender\.office\.com/,
    statuses: {
      '5.1.10': 'userunknown',
      '5.4.1': 'userunknown',
      '5.4.312': 'networkerror',
      '5.4.316': 'expired',
      '5.7.606': 'blocked',
      '5.7.607': 'blocked',
      '5.7.608': 'blocked',
      '5.7.708': 'blocked',
    },
    phrases: [
      ['resolver.adr.recipientnotfound', 'userunknown'],
      ['resolver.adr.recipnotfound', 'userunknown'],
      // Outlook.com's answer to RCPT TO for an address it does not have.
      ['requested action not taken: mailbox unavailable', 'userunknown'],
      ['banned sending ip', 'blocked'],
    ],
  },
  {
    // Mimecast: https://community.mimecast.com/s/article/email-security-cloud-gateway-mimecast-smtp-error-codes
    name: 'Mimecast',
    hosts: /(?:^|\.)mimecast\.com$/,
    phrases: [
      ['email rejected due to security policies', 'virusdetected'],
      ['spf sender invalid - envelope rejected', 'blocked'],
      ['dkim sender invalid - envelope rejected', 'blocked'],
      ['dmarc sender invalid - envelope rejected', 'blocked'],
      ['local ct ip reputation', 'blocked'],
      ['ip temporarily blacklisted', 'blocked'],
      ['sender address blocked', 'blocked'],
      ['maximum email size exceeded', 'mesgtoobig'],
      ['mail loop detected', 'networkerror'],
      ['open relay not allowed', 'norelaying'],
      ['anti-spoofing policy', 'policyviolation'],
      ['content examination policy', 'policyviolation'],
      ['envelope blocked', 'rejected'],
      ['envelope rejected', 'rejected'],
      ['too many recipients', 'toomanyconn'],
      ['invalid recipient', 'userunknown'],
    ],
  },
  {
    // AOL's name service errors mean the recipient domain refuses mail.
    name: 'AOL',
    hosts: /(?:^|\.)aol\.com$/,
    phrases: [
      ['host or domain name not found', 'hostunknown'],
      ['type=mx: malformed or unexpected name server reply', 'notaccept'],
    ],
  },
];

export function providerReason(f: RecipientFacts, text: string, reportingMta = ''): BounceReason | '' {
  const hosts = [f.remoteMta, reportingMta].map((h) => h.toLowerCase()).filter(Boolean);
  for (const p of PROVIDERS) {
    const ours = (p.hosts && hosts.some((h) => p.hosts?.test(h))) || (p.signature?.test(text) ?? false);
    if (!ours) continue;
    const reason = providerMeaning(p, f, text);
    if (reason) return reason;
  }
  return '';
}

function providerMeaning(p: ProviderRule, f: RecipientFacts, text: string): BounceReason | '' {
  if (p.codes) {
    const m = p.codes.pattern.exec(text);
    const key = m?.[1];
    if (key !== undefined) {
      const known = Object.hasOwn(p.codes.reasons, key);
      const reason = known ? p.codes.reasons[key] : p.codes.unknown;
      return reason ?? 'undefined';
    }
  }
  if (p.statuses && Object.hasOwn(p.statuses, f.status)) return p.statuses[f.status] as BounceReason;
  for (const [phrase, reason] of p.phrases ?? []) if (phraseMatches(text, phrase)) return reason;
  return '';
}
