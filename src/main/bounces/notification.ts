import { isMislabelledProse } from './formats/dsn';
import { type MimePart, walk } from './mime';

/**
 * The human-readable part of a report: the text the reporting server wrote, without the
 * returned original message. Bounces put it in a text/plain (sometimes only text/html) part,
 * or in the body of a non-MIME mail followed by a copy of the original.
 */

/** Lines after which the returned original message starts. */
const ORIGINAL_MESSAGE_MARKERS: readonly RegExp[] = [
  /^-+ ?(?:this is a copy of|below this line is a copy of|enclosed is a copy of)/i,
  /^-+ ?original message/i,
  /^-+ ?(?:original|returned) message (?:follows|headers?)/i,
  /^-+ ?message header follows/i,
  /^-+ ?(?:the )?(?:original|unsent) message/i,
  /^-{3,} ?(?:the header of the original message|forwarded message)/i,
  /^\s*-+ ?(?:original message|message text) follows/i,
  /^\s*-+ ?returned mail follows/i,
  /^--- Below this line is a copy of the message/i,
  /^\s*Original message headers:/i,
  /^\s*-+ ?Returned message/i,
  /^\|?-+ ?message text follows/i,
  /^original message follows\.?$/i,
  /^-+ ?unsent message follows/i,
  /^message headers follow\.?$/i,
];

const MAX_NOTIFICATION = 200_000;

export function notificationText(root: MimePart): string {
  const texts: string[] = [];
  const html: string[] = [];
  let size = 0;
  const collect = (p: MimePart) => {
    if (size > MAX_NOTIFICATION) return;
    if (p.contentType === 'text/plain' || p.contentType === 'text/enriched' || isMislabelledProse(p)) {
      texts.push(p.text);
      size += p.text.length;
    } else if (p.contentType === 'text/html') {
      html.push(htmlToText(p.text));
    } else if (p.contentType.startsWith('multipart/') && p.text.trim() && p.children.length === 0) {
      // A multipart whose boundaries could not be found: its text is all we have.
      texts.push(p.text);
    }
    for (const c of p.children) collect(c);
  };
  collect(root);
  const joined = (texts.length ? texts : html).join('\n');
  return cutAtOriginal(joined);
}

/** The text before the returned original message begins. */
export function cutAtOriginal(text: string): string {
  const lines = text.slice(0, MAX_NOTIFICATION).split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (ORIGINAL_MESSAGE_MARKERS.some((re) => re.test(line.trimStart()))) {
      return lines.slice(0, i).join('\n');
    }
  }
  return lines.join('\n');
}

/** The returned original, quoted in the text after a marker (for its Message-ID). */
export function quotedOriginal(root: MimePart): string {
  const out: string[] = [];
  walk(root, (p) => {
    if (p.contentType !== 'text/plain' && !p.contentType.startsWith('multipart/')) return;
    if (p.contentType.startsWith('multipart/') && p.children.length > 0) return;
    const lines = p.text.slice(0, MAX_NOTIFICATION).split(/\r?\n/);
    const at = lines.findIndex((l) => ORIGINAL_MESSAGE_MARKERS.some((re) => re.test(l.trimStart())));
    if (at >= 0) out.push(lines.slice(at + 1).join('\n'));
  });
  return out.join('\n');
}

/** Drop <script> and <style> blocks by scanning, not by a backtracking pattern. */
function withoutScripts(html: string): string {
  const lower = html.toLowerCase();
  let out = '';
  let pos = 0;
  for (;;) {
    const open = lower.slice(pos).search(/<(?:script|style)\b/);
    if (open < 0) return out + html.slice(pos);
    const at = pos + open;
    const tag = lower.startsWith('<script', at) ? '</script' : '</style';
    const close = lower.indexOf(tag, at);
    out += `${html.slice(pos, at)} `;
    if (close < 0) return out;
    pos = lower.indexOf('>', close) + 1 || lower.length;
  }
}

export function htmlToText(html: string): string {
  return withoutScripts(html.slice(0, MAX_NOTIFICATION))
    .replace(/<br\s*\/?>|<\/(?:p|div|tr|li|h\d)>/gi, '\n')
    .replace(/<[^>]{0,2000}>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&');
}
