import { firstAddress, isAddress } from './addresses';
import { emptyFacts, type RecipientFacts } from './facts';
import { readDeliveryStatus } from './formats/dsn';
import { addressesInProse, factsFromLines, readTextBounce } from './formats/text-bounce';
import { header, headers, type MimePart } from './mime';
import { returnedMessageRecipient } from './original-message';
import { normalizeText } from './phrases';
import { findCommand } from './smtp-codes';

/**
 * Recipients from the human-readable notice, and how they complete a DSN: the DSN is
 * authoritative for who and which status, the prose often adds the server's own words and
 * the SMTP command ("in reply to RCPT TO command") that the DSN leaves out.
 */

export function readNotice(notice: string, exclude: ReadonlySet<string>): RecipientFacts[] {
  const blocks = preferOthers(readTextBounce(notice), exclude);
  if (blocks.length > 0) return blocks;
  return preferOthers(
    addressesInProse(notice).map((a) => factsFromLines(a, [notice])),
    exclude,
  );
}

/**
 * The original sender and the reporting system appear in every bounce and are dropped, unless
 * they are all there is (a bounce of a message someone sent to themselves).
 */
function preferOthers(facts: RecipientFacts[], exclude: ReadonlySet<string>): RecipientFacts[] {
  const others = facts.filter((f) => !exclude.has(f.recipient));
  return others.length > 0 ? others : facts;
}

/**
 * Delivery-status fields written into the text itself (Amazon WorkMail, some gateways): read
 * them as a DSN from the first field on.
 */
export function inlineDeliveryStatus(notice: string): RecipientFacts[] {
  const start = notice.search(/^(?:Reporting-MTA|Final-Recipient|Original-Recipient):/im);
  if (start < 0) return [];
  return readDeliveryStatus(notice.slice(start)).recipients;
}

/** The prose repeats the DSN's words and says more (DSN fields are often cut short). */
function saysMoreThan(longer: string, shorter: string): boolean {
  const a = normalizeText(longer);
  const b = normalizeText(shorter);
  return a.length > b.length && b.length > 10 && a.includes(b);
}

export function mergeTextFacts(
  dsn: RecipientFacts[],
  text: RecipientFacts[],
  notice: string,
): RecipientFacts[] {
  return dsn.map((d) => {
    let same = text.find((t) => t.recipient === d.recipient.toLowerCase());
    if (!same && dsn.length === 1 && text.length === 1) same = text[0];
    if (!same) {
      // A lone recipient: whatever command the notice mentions is about it.
      return dsn.length === 1 && !d.command ? { ...d, command: findCommand(notice) } : d;
    }
    const merged = { ...d };
    // A DSN that could not name the recipient (e.g. "@mx.example.org") defers to the text.
    if (!merged.recipient.includes('@') || merged.recipient.startsWith('@'))
      merged.recipient = same.recipient;
    if (!merged.diagnostic || saysMoreThan(same.diagnostic, merged.diagnostic))
      merged.diagnostic = same.diagnostic;
    if (!merged.command) merged.command = same.command || (dsn.length === 1 ? findCommand(notice) : '');
    if (!merged.remoteMta) merged.remoteMta = same.remoteMta;
    if (!merged.replyCode) merged.replyCode = same.replyCode;
    if (!merged.status) merged.status = same.status;
    return merged;
  });
}

/** Exim names the failed recipients in a header even when its text is unreadable. */
export function failedRecipientsHeader(root: MimePart, notice: string): RecipientFacts[] {
  const list = headers(root, 'x-failed-recipients')
    .flatMap((v) => v.split(','))
    .map(firstAddress)
    .filter(isAddress);
  return [...new Set(list)].map((r) => ({ ...emptyFacts(r), diagnostic: notice.trim().slice(0, 2000) }));
}

/**
 * Old or terse reports name no recipient at all; when the notice still describes a failure,
 * the returned message's To: is who it was for.
 */
export function returnedRecipient(root: MimePart, notice: string): RecipientFacts[] {
  if (!looksLikeFailure(root, notice)) return [];
  const to = returnedMessageRecipient(root, firstAddress);
  return to ? [{ ...emptyFacts(to), diagnostic: notice.trim().slice(0, 2000) }] : [];
}

function looksLikeFailure(root: MimePart, notice: string): boolean {
  return (
    /mailer-daemon|postmaster|mail delivery|mail administrator/i.test(header(root, 'from')) ||
    /undeliver|returned mail|failure|failed|delivery status|not delivered|error/i.test(
      header(root, 'subject'),
    ) ||
    /transcript of session|could not be delivered|undeliverable/i.test(notice)
  );
}
