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

/** The sender, unless the mail is a mail system's own or titled as a delivery failure; else ''. */
function personalSender(root: MimePart): string {
  const from = firstAddress(header(root, 'from'));
  if (!from || isSystemAddress(from) || FAILURE_SUBJECTS.test(header(root, 'subject'))) return '';
  return from;
}

/** The headers mail programs put on their automatic replies. */
function vendorAutoReplyHeaders(root: MimePart): boolean {
  return (
    header(root, 'x-autoreply') !== '' ||
    header(root, 'x-autorespond') !== '' ||
    /auto[_-]?reply/i.test(header(root, 'precedence'))
  );
}

const answerOf = (root: MimePart, recipient: string): AutoReply => ({
  recipient,
  inReplyTo: /<[^>]{1,500}>/.exec(header(root, 'in-reply-to'))?.[0] ?? '',
});

/**
 * A mail no bounce reader found a failed recipient in, that says it was sent automatically
 * (RFC 3834 `Auto-Submitted` other than `no`, or the vendors' auto-reply headers), from someone
 * other than a mail system and not titled as a delivery failure: an automatic response — a canned
 * reply, a notice — and not a bounce, so nothing is suppressed for it. The sender is the one that
 * answered. A mail system's own message that no reader understood stays unread (kept for a person).
 */
export function readAutomaticMail(root: MimePart): AutoReply | null {
  const from = personalSender(root);
  if (!from) return null;
  const autoSubmitted = header(root, 'auto-submitted').trim().toLowerCase();
  const automatic = (autoSubmitted !== '' && !autoSubmitted.startsWith('no')) || vendorAutoReplyHeaders(root);
  return automatic ? answerOf(root, from) : null;
}

export function readAutoReply(root: MimePart): AutoReply | null {
  const from = personalSender(root);
  if (!from || /mail delivery|mailer-daemon|postmaster/i.test(header(root, 'from'))) return null;
  const subject = header(root, 'subject');
  const signals = [
    header(root, 'auto-submitted').toLowerCase().startsWith('auto-replied'),
    vendorAutoReplyHeaders(root),
    /vacation/i.test(header(root, 'x-apple-action')),
    /^(?:oof|autoreply)/i.test(header(root, 'x-auto-response-suppress')) ||
      /autoreply|oof/i.test(header(root, 'x-ms-exchange-generated-message-source')),
    AUTO_REPLY_SUBJECTS.some((re) => re.test(subject)),
  ];
  return signals.some(Boolean) ? answerOf(root, from) : null;
}
