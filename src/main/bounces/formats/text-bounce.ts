import { allAddresses, cleanAddress } from '../addresses';
import { emptyFacts, type RecipientFacts } from '../facts';
import { findCommand, findReplyCode, findStatus } from '../smtp-codes';

/**
 * Bounces written as prose (qmail, Exim, Postfix and Sendmail text parts, Exchange, Gmail,
 * Yahoo and the many others). They share one shape: a line that names a recipient, then the
 * server's words about it, then the next recipient or the end of the notice. The recipient
 * line comes in a handful of forms, tried from the most to the least specific.
 */

const ADDR = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@(?:[A-Za-z0-9-]{1,63}\\.)+[A-Za-z0-9-]{2,63}";

/**
 * Sendmail's transcript line "550 <user@example.org>... User unknown": the session lines
 * (">>> RCPT To:", "<<< 550 ...") before it belong to it, nothing after it does.
 */
const TRANSCRIPT_LINE = new RegExp(`^\\s*[245]\\d\\d[ -]<?(${ADDR})>?\\.\\.\\.\\s*(.*)$`);
const SESSION_LINE = /^\s*(?:>>>|<<<|while talking to\b)/i;

/** Recipient line forms; group 1 is the address, group 2 (optional) the text after it. */
const RECIPIENT_LINES: readonly RegExp[] = [
  // <user@example.org>:   <user@example.org>: host mx said: ...   <a@b>... User unknown   <a@b> (reason)
  new RegExp(`^\\s*(?:(?:[*•]|-{1,2})\\s+)?<(${ADDR})>(?::|\\.\\.\\.|,)?(?:\\s+(.*))?$`),
  // user@example.org   user@example.org: reason   user@example.org ... reason   * user@example.org
  new RegExp(`^\\s*(?:(?:[*•]|-{1,2})\\s+)?["']?(${ADDR})["']?\\s*(?::|\\.\\.\\.)?(?:\\s+(.*))?$`),
  // RCPT TO: user@example.org   Original-Recipient: rfc822;user@example.org
  new RegExp(
    `^\\s*(?:rcpt to|recipient(?: address)?|original-recipient|failed recipient)\\s*:\\s*(?:rfc822;)?\\s*<?(${ADDR})>?(?:\\s+(.*))?$`,
    'i',
  ),
];

/** "Could not be delivered to: <user@example.org>", "Mailbox full: user@example.org". */
const LABELLED_LINE = new RegExp(`^\\s*([^:<>@]{3,120}?):\\s+<?(${ADDR})>?[.,;]?(?:\\s+(.*))?$`);
/** Header-like labels that name the sender or the original message, not a failed recipient. */
const NOT_RECIPIENT_LABELS =
  /^(?:from|to|cc|bcc|reply-to|sender|return-path|mail from|envelope-from|errors-to|x-[a-z-]+|delivered-to|subject|message-id|in-reply-to|references|resent-[a-z]+)$/i;

/** Lines that end the recipient list: the rest belongs to the trailer or the original. */
const END_OF_NOTICE: readonly RegExp[] = [
  /^\s*-{2,}\s*(?:the header of|original message|this is a copy|below this line|forwarded message)/i,
  /^\s*(?:Reporting-MTA|Final-Recipient|Content-Type):/i,
];

const MAX_LINES_PER_RECIPIENT = 40;
/** More recipients than this in one report is not a bounce worth reading line by line. */
const MAX_RECIPIENTS = 500;
const MAX_DIAGNOSTIC = 4000;

export interface TextBlock {
  recipient: string;
  lines: string[];
  /** A transcript line closes its block: what follows is about someone else. */
  closed: boolean;
}

/** Split the notice into recipient blocks. */
export function recipientBlocks(notice: string): TextBlock[] {
  const lines = notice.split(/\r?\n/).slice(0, 5000);
  const blocks: TextBlock[] = [];
  let current: TextBlock | null = null;
  let session: string[] = [];
  const byAddress = new Map<string, TextBlock>();
  const open = (address: string): TextBlock => {
    const existing = byAddress.get(address);
    const block = existing ?? { recipient: address, lines: [], closed: false };
    if (!existing && blocks.length < MAX_RECIPIENTS) {
      blocks.push(block);
      byAddress.set(address, block);
    }
    block.closed = false;
    return block;
  };
  for (const line of lines) {
    if (END_OF_NOTICE.some((re) => re.test(line))) {
      if (current) break;
      continue;
    }
    if (SESSION_LINE.test(line)) {
      session.push(line);
      if (session.length > 20) session = session.slice(-20);
      continue;
    }
    const transcript = TRANSCRIPT_LINE.exec(line);
    if (transcript?.[1]) {
      current = open(cleanAddress(transcript[1]));
      current.lines.push(...session, line.trim());
      current.closed = true;
      session = [];
      continue;
    }
    const hit = recipientLine(line);
    if (hit) {
      current = open(hit.address);
      current.lines.push(...session);
      session = [];
      if (hit.rest) current.lines.push(hit.rest);
      continue;
    }
    if (current && !current.closed && current.lines.length < MAX_LINES_PER_RECIPIENT) {
      current.lines.push(...session, line);
      session = [];
    }
  }
  return blocks;
}

function recipientLine(line: string): { address: string; rest: string } | null {
  if (line.length > 600) return null;
  for (const re of RECIPIENT_LINES) {
    const m = re.exec(line);
    if (m?.[1]) return { address: cleanAddress(m[1]), rest: (m[2] ?? '').trim() };
  }
  const labelled = LABELLED_LINE.exec(line);
  if (labelled?.[1] && labelled[2] && !NOT_RECIPIENT_LABELS.test(labelled[1].trim())) {
    return { address: cleanAddress(labelled[2]), rest: `${labelled[1].trim()}: ${labelled[3] ?? ''}`.trim() };
  }
  return null;
}

/**
 * Facts per recipient from the prose. When a block carries no words of its own (the reason
 * was written above the list), the words before the first recipient stand for all of them.
 */
export function readTextBounce(notice: string): RecipientFacts[] {
  const blocks = recipientBlocks(notice);
  const preamble = preambleText(notice, blocks);
  return blocks.map((b) => {
    const f = factsFromLines(b.recipient, b.lines);
    if (!f.status && !f.replyCode && preamble) {
      const merged = factsFromLines(b.recipient, [preamble, ...b.lines]);
      if (merged.status || merged.replyCode || !f.diagnostic) return merged;
    }
    return f;
  });
}

/** The notice text that is not inside any recipient block. */
function preambleText(notice: string, blocks: TextBlock[]): string {
  if (blocks.length === 0) return '';
  const inBlocks = new Set(blocks.flatMap((b) => b.lines.map((l) => l.trim())));
  return notice
    .split(/\r?\n/)
    .slice(0, 200)
    .map((l) => l.trim())
    .filter(
      (l) => l && !inBlocks.has(l) && !blocks.slice(0, 20).some((b) => l.toLowerCase().includes(b.recipient)),
    )
    .join(' ')
    .slice(0, 3000);
}

export function factsFromLines(recipient: string, lines: string[]): RecipientFacts {
  const f = emptyFacts(recipient);
  f.diagnostic = joinDiagnostic(lines);
  f.status = findStatus(f.diagnostic);
  f.replyCode = findReplyCode(f.diagnostic);
  f.command = findCommand(f.diagnostic);
  f.remoteMta = remoteHost(f.diagnostic);
  return f;
}

export function joinDiagnostic(lines: string[]): string {
  return lines
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' ')
    .replace(/\s+/g, ' ')
    .slice(0, MAX_DIAGNOSTIC);
}

/** "host mx.example.org[192.0.2.1] said:", "host mx.example.org [192.0.2.1]:", "while talking to mx.example.org.:" */
export function remoteHost(text: string): string {
  const m =
    /\bhost\s+([A-Za-z0-9.-]+\.[A-Za-z]{2,})\s*\[[^\]]{1,60}\]/.exec(text) ??
    /while talking to\s+([A-Za-z0-9.-]+\.[A-Za-z]{2,})\.?:/i.exec(text) ??
    /\bby\s+([A-Za-z0-9.-]+\.[A-Za-z]{2,})\.?\s*\[\d/.exec(text);
  return m?.[1]?.toLowerCase().replace(/\.$/, '') ?? '';
}

/**
 * Addresses named inside the failure text when no line is a recipient line: quoted in a
 * server reply ("550 5.1.1 <a@b>... User unknown") or in a sentence about delivery.
 */
export function addressesInProse(notice: string): string[] {
  const found = new Set<string>();
  for (const line of notice.split(/\r?\n/).slice(0, 2000)) {
    const talksAboutDelivery =
      /\b[45]\d\d\b|\b[45]\.\d{1,3}\.\d{1,3}\b/.test(line) ||
      /\b(?:deliver|recipient|undeliverable|could not be sent|failed|rejected|unknown)/i.test(line);
    if (!talksAboutDelivery) continue;
    for (const a of allAddresses(line)) found.add(a);
  }
  return [...found];
}
