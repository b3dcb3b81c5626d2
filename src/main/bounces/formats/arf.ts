import { firstAddress, isAddress } from '../addresses';
import { header, headerLines, type MimePart, walk } from '../mime';

/**
 * RFC 5965 feedback reports (complaints), and Microsoft's JMRP, which returns the complained
 * message with an X-HmXmrOriginalRecipient header instead of a machine-readable part.
 */

export interface FeedbackReport {
  feedbackType: string;
  recipients: string[];
  reportingMta: string;
}

export function readFeedbackReport(root: MimePart): FeedbackReport | null {
  let reportPart: MimePart | null = null;
  let returned: MimePart | null = null;
  walk(root, (p) => {
    if (!reportPart && p.contentType === 'message/feedback-report') reportPart = p;
    if (!returned && p.message) returned = p.message;
  });
  const declared =
    root.contentType === 'multipart/report' && /feedback-report/i.test(root.params['report-type'] ?? '');
  const jmrp = returned ? header(returned, 'x-hmxmroriginalrecipient') : '';
  if (!reportPart && !declared && !jmrp) return null;

  const fields = reportPart ? reportFields((reportPart as MimePart).text) : new Map<string, string[]>();
  const recipients = (fields.get('original-rcpt-to') ?? []).map(firstAddress).filter(isAddress);
  if (recipients.length === 0 && jmrp && isAddress(firstAddress(jmrp))) recipients.push(firstAddress(jmrp));
  if (recipients.length === 0 && returned) {
    const to = firstAddress(header(returned, 'to'));
    if (to) recipients.push(to);
  }
  return {
    feedbackType: (fields.get('feedback-type')?.[0] ?? (jmrp ? 'abuse' : '')).toLowerCase(),
    recipients: [...new Set(recipients)],
    reportingMta: (fields.get('reporting-mta')?.[0] ?? '').replace(/^[^;]*;\s*/, ''),
  };
}

function reportFields(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { name, value } of headerLines(Buffer.from(text.slice(0, 64 * 1024), 'utf8'))) {
    if (name) out.set(name, [...(out.get(name) ?? []), value]);
  }
  return out;
}
