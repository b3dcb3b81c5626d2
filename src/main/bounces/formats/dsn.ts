import type { BounceReason } from '@shared/domain/bounce';
import { dsnAddress, isAddress } from '../addresses';
import { emptyFacts, type RecipientFacts } from '../facts';
import { headerLines, type MimePart, walk } from '../mime';
import { findCommand, findReplyCode, findStatus, isStatusCode } from '../smtp-codes';

/**
 * RFC 3464 delivery status notifications: the message/delivery-status part is a list of
 * header blocks, one per message and one per recipient.
 */

export interface DsnReport {
  reportingMta: string;
  recipients: RecipientFacts[];
}

/** More recipients than this in one report is not a bounce worth classifying one by one. */
const MAX_RECIPIENTS = 500;

const STATUS_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);

/**
 * A part labelled delivery-status that holds no delivery-status field at all: some servers put
 * their prose under that label, and it is read as the notice it is.
 */
export function isMislabelledProse(p: MimePart): boolean {
  return (
    STATUS_TYPES.has(p.contentType) &&
    p.text.trim() !== '' &&
    !/^(?:reporting-mta|final-recipient|original-recipient|action|status)[ \t]*:/im.test(p.text)
  );
}

export function findDeliveryStatusParts(root: MimePart): MimePart[] {
  const found: MimePart[] = [];
  walk(root, (p) => {
    if (STATUS_TYPES.has(p.contentType)) found.push(p);
  });
  return found;
}

export function readDeliveryStatus(text: string): DsnReport {
  const report: DsnReport = { reportingMta: '', recipients: [] };
  const lines = headerLines(Buffer.from(text.slice(0, 512 * 1024), 'utf8'));
  let current: RecipientFacts | null = null;
  let hasFinal = false;
  const finish = () => {
    if (current?.recipient && report.recipients.length < MAX_RECIPIENTS) report.recipients.push(current);
    current = null;
    hasFinal = false;
  };

  for (const { name: key, value } of lines) {
    if (!key) {
      // A blank line ends a recipient block; a line that is not a field is skipped.
      if (value === '' && current && hasFinal) finish();
      continue;
    }
    switch (key) {
      case 'reporting-mta':
        report.reportingMta ||= value.replace(/^[^;]*;\s*/, '');
        continue;
      case 'final-recipient':
      case 'original-recipient':
      case 'x-actual-recipient': {
        if (key === 'final-recipient' && hasFinal) finish();
        current ??= emptyFacts();
        const addr = dsnAddress(value);
        if (key === 'final-recipient') {
          hasFinal = true;
          if (isAddress(addr) || !current.recipient) current.recipient = addr;
        } else if (!current.recipient || (!isAddress(current.recipient) && isAddress(addr))) {
          current.recipient = addr;
        }
        continue;
      }
    }
    if (!current) {
      if (!isRecipientField(key)) continue;
      current = emptyFacts();
    }
    applyRecipientField(current, key, value);
  }
  finish();
  for (const r of report.recipients) complete(r);
  return report;
}

/** PowerMTA's own verdict per recipient (X-PowerMTA-BounceCategory). */
const POWERMTA_CATEGORIES: Readonly<Record<string, BounceReason>> = {
  'bad-domain': 'hostunknown',
  'bad-mailbox': 'userunknown',
  'inactive-mailbox': 'suspend',
  'message-expired': 'expired',
  'no-answer-from-host': 'expired',
  'policy-related': 'policyviolation',
  'quota-issues': 'mailboxfull',
  'routing-errors': 'systemerror',
  'spam-related': 'spamdetected',
  'virus-related': 'virusdetected',
  'content-related': 'contenterror',
  'bad-connection': 'networkerror',
  'bad-configuration': 'systemerror',
  'relaying-issues': 'norelaying',
  'protocol-errors': 'systemerror',
};

function isRecipientField(key: string): boolean {
  return ['action', 'status', 'diagnostic-code', 'remote-mta'].includes(key);
}

function applyRecipientField(r: RecipientFacts, key: string, value: string): void {
  switch (key) {
    case 'action':
      r.action = value.toLowerCase().split(/[\s(;]/)[0] ?? '';
      return;
    case 'status': {
      const code = value.split(/\s/)[0] ?? '';
      r.status = isStatusCode(code) ? code : findStatus(value);
      if (!r.replyCode) r.replyCode = /^[245]\d\d\b/.exec(value)?.[0] ?? '';
      return;
    }
    case 'x-powermta-bouncecategory': {
      const reason = POWERMTA_CATEGORIES[value.toLowerCase()];
      if (reason) r.presetReason = reason;
      return;
    }
    case 'remote-mta':
      r.remoteMta =
        value
          .replace(/^[^;]*;\s*/, '')
          .replace(/[[\]()]/g, '')
          .split(/\s/)[0] ?? '';
      return;
    case 'diagnostic-code': {
      const semi = value.indexOf(';');
      if (semi >= 0 && semi < 20 && /^[A-Za-z-]+$/.test(value.slice(0, semi).trim())) {
        r.diagnosticType = value.slice(0, semi).trim().toUpperCase();
        r.diagnostic = value.slice(semi + 1).trim();
      } else {
        r.diagnostic = value;
      }
      return;
    }
  }
}

function complete(r: RecipientFacts): void {
  if (!r.replyCode) r.replyCode = findReplyCode(r.diagnostic);
  if (!r.status) r.status = findStatus(r.diagnostic);
  if (!r.command) r.command = findCommand(r.diagnostic);
}
