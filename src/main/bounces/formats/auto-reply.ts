import { firstAddress, isSystemAddress } from '../addresses';
import { header, type MimePart } from '../mime';

/**
 * RFC 3834 automatic responses (vacation, out of office). Not a bounce: the message was
 * delivered and a person (or their rule) answered. Bounces carry "Auto-Submitted:
 * auto-replied" too, so a reply only counts when it does not come from a mail system and
 * does not read like a delivery failure.
 */

const AUTO_REPLY_SUBJECTS: readonly RegExp[] = [
  /\b(?:auto(?:matic)?[ -]?(?:reply|response|antwort)|autoreply|autoresponse)\b/i,
  /\bout of (?:the )?office\b/i,
  /\b(?:on )?vacation\b/i,
  /\baway (?:until|from)\b/i,
  /\babwesenheit/i,
  /\br[ée]ponse automatique\b/i,
  /\babsence\b/i,
  /自動応答|不在/,
];

const FAILURE_SUBJECTS =
  /undeliver|delivery (?:status|failure|notification|has failed)|failure notice|returned mail|mail delivery|non[- ]?delivery|could not be delivered|delivery failed|rejected|bounce/i;

export interface AutoReply {
  recipient: string;
  inReplyTo: string;
}

/**
 * A mail no bounce reader found a failed recipient in, that says it was sent automatically
 * (RFC 3834 `Auto-Submitted` other than `no`, or the vendors' auto-reply headers), from someone
 * other than a mail system and not titled as a delivery failure: an automatic response — a canned
 * reply, a notice — and not a bounce, so nothing is suppressed for it. The sender is the one that
 * answered.
 */
export function readAutomaticMail(root: MimePart): AutoReply | null {
  const from = firstAddress(header(root, 'from'));
  // A mail system's own message that no reader understood stays unread (kept for a person).
  if (!from || isSystemAddress(from) || FAILURE_SUBJECTS.test(header(root, 'subject'))) return null;
  const autoSubmitted = header(root, 'auto-submitted').trim().toLowerCase();
  const automatic =
    (autoSubmitted !== '' && !autoSubmitted.startsWith('no')) ||
    header(root, 'x-autoreply') !== '' ||
    header(root, 'x-autorespond') !== '' ||
    /auto[_-]?reply/i.test(header(root, 'precedence'));
  if (!automatic) return null;
  return { recipient: from, inReplyTo: /<[^>]{1,500}>/.exec(header(root, 'in-reply-to'))?.[0] ?? '' };
}

export function readAutoReply(root: MimePart): AutoReply | null {
  const from = firstAddress(header(root, 'from'));
  const subject = header(root, 'subject');
  if (!from || isSystemAddress(from) || FAILURE_SUBJECTS.test(subject)) return null;
  if (/mail delivery|mailer-daemon|postmaster/i.test(header(root, 'from'))) return null;

  const autoSubmitted = header(root, 'auto-submitted').toLowerCase();
  const signals = [
    autoSubmitted.startsWith('auto-replied'),
    header(root, 'x-autoreply') !== '',
    header(root, 'x-autorespond') !== '',
    /vacation/i.test(header(root, 'x-apple-action')),
    /auto[_-]?reply/i.test(header(root, 'precedence')),
    /^(?:oof|autoreply)/i.test(header(root, 'x-auto-response-suppress')) ||
      /autoreply|oof/i.test(header(root, 'x-ms-exchange-generated-message-source')),
    AUTO_REPLY_SUBJECTS.some((re) => re.test(subject)),
  ];
  if (!signals.some(Boolean)) return null;
  const inReplyTo = /<[^>]{1,500}>/.exec(header(root, 'in-reply-to'))?.[0] ?? '';
  return { recipient: from, inReplyTo };
}
