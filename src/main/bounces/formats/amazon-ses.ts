import type { BounceReason } from '@shared/domain/bounce';
import { firstAddress, isAddress } from '../addresses';
import { emptyFacts, type RecipientFacts } from '../facts';
import { findReplyCode, findStatus, isStatusCode } from '../smtp-codes';

/**
 * Amazon SES event notifications delivered by e-mail (through SNS): a JSON document with
 * notificationType Bounce, Complaint or Delivery instead of a MIME report.
 */

export interface SesNotification {
  kind: 'bounce' | 'complaint' | 'delivered';
  recipients: RecipientFacts[];
  feedbackType: string | null;
  originalMessageId: string | null;
  reportingMta: string;
}

/** SES's own sub-type, where it says more than the SMTP reply. */
const BOUNCE_SUBTYPES: Readonly<Record<string, BounceReason>> = {
  noemail: 'userunknown',
  suppressed: 'suspend',
  onaccountsuppressionlist: 'suspend',
  mailboxfull: 'mailboxfull',
  messagetoolarge: 'mesgtoobig',
  contentrejected: 'contenterror',
  attachmentrejected: 'securityerror',
};

const MAX_JSON = 256 * 1024;

export function readSesNotification(text: string): SesNotification | null {
  const start = text.indexOf('{"notificationType"');
  if (start < 0) return null;
  // SNS folds long lines like a header ("\n " inside the JSON); unfold before parsing.
  const doc = parseLeadingJson(text.slice(start, start + MAX_JSON).replace(/\r?\n /g, ''));
  if (!doc || typeof doc !== 'object') return null;
  const n = doc as Record<string, unknown>;
  const type = String(n.notificationType ?? '').toLowerCase();
  const mail = record(n.mail);
  const headers = record(mail.commonHeaders);
  const originalMessageId = /<[^<>\s]+>/.exec(String(headers.messageId ?? ''))?.[0] ?? null;

  if (type === 'complaint') {
    const complaint = record(n.complaint);
    const recipients = list(complaint.complainedRecipients)
      .map((r) => firstAddress(String(record(r).emailAddress ?? '')))
      .filter(isAddress)
      .map((a) => ({ ...emptyFacts(a), presetReason: 'feedback' as const }));
    const feedbackType = String(complaint.complaintFeedbackType ?? '') || 'abuse';
    return { kind: 'complaint', recipients, feedbackType, originalMessageId, reportingMta: '' };
  }

  if (type === 'delivery') {
    const delivery = record(n.delivery);
    const reply = String(delivery.smtpResponse ?? '');
    const recipients = list(delivery.recipients)
      .map((r) => firstAddress(String(r)))
      .filter(isAddress)
      .map((a) => ({
        ...emptyFacts(a),
        diagnostic: reply,
        status: findStatus(reply) || '2.0.0',
        replyCode: findReplyCode(reply),
        action: 'delivered',
      }));
    const reportingMta = String(delivery.reportingMTA ?? '');
    return { kind: 'delivered', recipients, feedbackType: null, originalMessageId, reportingMta };
  }

  if (type === 'bounce') {
    const bounce = record(n.bounce);
    const permanent = String(bounce.bounceType ?? '').toLowerCase() === 'permanent';
    const subtype = BOUNCE_SUBTYPES[String(bounce.bounceSubType ?? '').toLowerCase()];
    const recipients = list(bounce.bouncedRecipients).flatMap((r) => {
      const rec = record(r);
      const address = firstAddress(String(rec.emailAddress ?? ''));
      if (!isAddress(address)) return [];
      const diagnostic = String(rec.diagnosticCode ?? '').replace(/^smtp;\s*/i, '');
      const status = String(rec.status ?? '');
      const f: RecipientFacts = {
        ...emptyFacts(address),
        diagnostic,
        diagnosticType: 'SMTP',
        status: isStatusCode(status) ? status : findStatus(diagnostic),
        replyCode: findReplyCode(diagnostic),
        action: String(rec.action ?? '') || (permanent ? 'failed' : 'delayed'),
        remoteMta: String(bounce.remoteMtaIp ?? ''),
      };
      if (subtype && !diagnostic) f.presetReason = subtype;
      return [f];
    });
    const reportingMta = String(bounce.reportingMTA ?? '').replace(/^[^;]*;\s*/, '');
    return { kind: 'bounce', recipients, feedbackType: null, originalMessageId, reportingMta };
  }
  return null;
}

/**
 * The JSON document at the start of the text; SNS appends a plain-text footer after it, so
 * the end is found by balancing braces outside strings.
 */
function parseLeadingJson(text: string): unknown {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) {
      try {
        return JSON.parse(text.slice(0, i + 1));
      } catch {
        return null;
      }
    }
  }
  return null;
}

function record(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
