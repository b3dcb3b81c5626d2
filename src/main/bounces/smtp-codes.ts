/**
 * Codes and commands found in free text: the enhanced status code (RFC 3463), the SMTP reply
 * code (RFC 5321) and the command the server was answering.
 */

const STATUS_IN_TEXT = /(?<![\d.vV])([245])\.(\d{1,3})\.(\d{1,3})(?![\d])/g;

/** A well-formed enhanced status code: class 2, 4 or 5, subject 0-7. */
export function isStatusCode(s: string): boolean {
  const m = /^([245])\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  return !!m && Number(m[2]) <= 7;
}

/**
 * The first specific enhanced status code in the text. "x.0.0" and "4.4.7" say little (other,
 * or "expired"), so they are returned only when nothing more specific is there.
 */
export function findStatus(text: string, wantedClass?: string): string {
  let vague = '';
  for (const m of text.slice(0, 8000).matchAll(STATUS_IN_TEXT)) {
    const code = `${m[1]}.${m[2]}.${m[3]}`;
    if (!isStatusCode(code)) continue;
    if (wantedClass && m[1] !== wantedClass) continue;
    // An IPv4 address ("5.7.1.2") is not a status code.
    const after = text.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + 2);
    if (/^\.\d/.test(after)) continue;
    if (/\.0\.0$/.test(code) || code === '4.4.7') {
      vague ||= code;
      continue;
    }
    return code;
  }
  return vague;
}

/** The SMTP reply code: a 2xx/4xx/5xx at the start of a line or of the reply text. */
export function findReplyCode(text: string): string {
  const t = text.slice(0, 8000);
  const re = /(?:^|[\s:;(>\]"'])([245][0-5]\d)(?=[\s-]|$)(?!\s*(?:bytes|seconds|minutes|hours|days)\b)/gm;
  for (const m of t.matchAll(re)) {
    // "Size (in bytes): 222" or "Number of lines: 250" are not replies.
    const before = t.slice(Math.max(0, (m.index ?? 0) - 24), m.index);
    if (/(?:bytes\)?|size|lines|length|count|number)[^:]{0,4}:?\s*$/i.test(before)) continue;
    return m[1] ?? '';
  }
  return '';
}

/** The SMTP command a refusal answered, from the phrasing MTAs use around it. */
export function findCommand(text: string): string {
  const t = text.slice(0, 8000);
  const patterns: [RegExp, string][] = [
    [
      /in reply to (?:the )?(?:end of )?(?:message )?(rcpt to|mail from|data|ehlo|helo|end of data|quit)\b/i,
      '$1',
    ],
    [/after (?:end of )?(rcpt to|mail from|data|ehlo|helo|quit)\b/i, '$1'],
    [/after end of (data)/i, '$1'],
    [/>>> (rcpt to|mail from|data|ehlo|helo|quit)\b/i, '$1'],
    // A listing of the envelope ("MAIL FROM: a", "RCPT TO: b") names the recipient step.
    [/\b(rcpt to)\s*:/i, '$1'],
    [/\b(mail from)\s*:/i, '$1'],
    [/(?:^|\s)(ehlo|helo)\s/i, '$1'],
    [/\b(?:sender|mail from) (?:address )?(?:was )?rejected\b/i, 'MAIL'],
    [/did not like (?:our )?(rcpt to|mail from)/i, '$1'],
    [/refused to talk to me|\bconnect to [^\s:]+:|(?:but )?greeting failed|connection refused/i, 'CONN'],
    [/\bafter (rcpt|mail|data)\b/i, '$1'],
    [/\[(rcpt)_to\]/i, '$1'],
    [/\bsmtp:(rcpt|mail|data)\b/i, '$1'],
    [/(?:has )?rejected (?:the )?(?:recipient )?address|does not like recipient/i, 'RCPT'],
  ];
  for (const [re, out] of patterns) {
    const m = re.exec(t);
    if (!m) continue;
    const word = (out === '$1' ? (m[1] ?? '') : out).toUpperCase();
    return commandName(word);
  }
  return '';
}

/** "RCPT TO" → "RCPT", "MAIL FROM" → "MAIL", "END OF DATA" → "DATA". */
export function commandName(word: string): string {
  const w = word.toUpperCase();
  if (w.startsWith('RCPT')) return 'RCPT';
  if (w.startsWith('MAIL')) return 'MAIL';
  if (w.includes('DATA')) return 'DATA';
  if (w.startsWith('EHLO')) return 'EHLO';
  if (w.startsWith('HELO')) return 'HELO';
  if (w.startsWith('QUIT')) return 'QUIT';
  if (w.startsWith('CONN')) return 'CONN';
  return '';
}
