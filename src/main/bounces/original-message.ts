import { header, type MimePart, walk } from './mime';
import { quotedOriginal } from './notification';

/**
 * The Message-ID of the message a report returns: from the attached message (or its headers
 * part), else from the copy quoted in the text. The report's own Message-ID is never it.
 */
export function findOriginalMessageId(root: MimePart): string | null {
  let found = '';
  walk(root, (p) => {
    if (found || !p.message) return;
    found = /<[^<>\s]{1,500}>/.exec(header(p.message, 'message-id'))?.[0] ?? '';
  });
  if (found) return found;
  const m = /^\s*Message-Id:\s*(<[^<>\s]{1,500}>)/im.exec(quotedOriginal(root));
  return m?.[1] ?? null;
}

/** The returned message's To: (attached or quoted), for reports that name no recipient. */
export function returnedMessageRecipient(root: MimePart, address: (v: string) => string): string {
  let to = '';
  walk(root, (p) => {
    if (!to && p.message) to = address(header(p.message, 'to'));
  });
  return to || address(/^\s*To:\s*(.+)$/im.exec(quotedOriginal(root))?.[1] ?? '');
}
