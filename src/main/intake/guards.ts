import { isValidAddress } from '@shared/domain/address';
import type { Clock } from '../engine/clock';
import type { ConnectionRecord } from '../store/connections-repo';
import type { MessagesRepo } from '../store/messages-repo';
import type { SuppressionsRepo } from '../store/suppressions-repo';
import { type SmtpReply, smtpReply } from './smtp-reply';

/**
 * The intake checklist. Each guard answers one question and returns the precise refusal,
 * or undefined to let the mail through to the next guard.
 */
export type Guard<T> = (subject: T) => SmtpReply | undefined;

export const requireTls: Guard<{ secure: boolean }> = (session) =>
  session.secure ? undefined : smtpReply(530, '5.7.0', 'Must issue a STARTTLS command first');

export const requireAuth: Guard<{ connectionId: string | undefined }> = ({ connectionId }) =>
  connectionId
    ? undefined
    : smtpReply(
        530,
        '5.7.0',
        'Authentication required: log in with the SMTP access data of a Relaydesk connection',
      );

export const rejectIfDisabled: Guard<ConnectionRecord | undefined> = (connection) => {
  if (!connection) {
    return smtpReply(
      535,
      '5.7.8',
      'This connection no longer exists in Relaydesk; create a new one and use its access data',
    );
  }
  return connection.enabled
    ? undefined
    : smtpReply(
        550,
        '5.7.1',
        `Connection "${connection.name}" is disabled in Relaydesk; enable it under Connections to send mail`,
      );
};

const HOUR_MS = 3_600_000;

/**
 * The hourly limit of a connection. `held`: its mails past MAIL FROM and not stored yet
 * (intake reservations), which count as sent now, so parallel sessions cannot all pass.
 */
export function rejectIfRateLimited(
  messages: MessagesRepo,
  clock: Clock,
  held: (connectionId: string) => number,
): Guard<ConnectionRecord> {
  return (connection) => {
    if (connection.hourlyLimit === null) return undefined;
    const since = clock.now() - HOUR_MS;
    const sent = messages.countAcceptedSince(connection.id, since) + held(connection.id);
    if (sent < connection.hourlyLimit) return undefined;
    const oldest = messages.oldestAcceptedSince(connection.id, since) ?? clock.now();
    const retryAt = new Date(oldest + HOUR_MS).toISOString().replace(/\.\d+Z$/, 'Z');
    return smtpReply(
      451,
      '4.7.1',
      `Connection "${connection.name}" reached its limit of ${connection.hourlyLimit} mails per hour; try again after ${retryAt}`,
    );
  };
}

export const requireValidRecipient: Guard<string> = (address) =>
  isValidAddress(address)
    ? undefined
    : smtpReply(
        553,
        '5.1.3',
        `Recipient address "${address}" is not a valid e-mail address; correct it and send again`,
      );

/** While on the demo quota, live mail is limited per hour over all connections (SPEC "Quota and billing"). */
export function rejectIfDemoLimited(
  limitedUntil: () => number | undefined,
  limit: () => number,
): Guard<ConnectionRecord> {
  return (connection) => {
    if (connection.mode !== 'live') return undefined;
    const until = limitedUntil();
    if (until === undefined) return undefined;
    const at = new Date(until).toISOString().replace(/\.\d+Z$/, 'Z');
    return smtpReply(
      451,
      '4.7.1',
      `Demo quota: at most ${limit()} mails an hour; try again after ${at}, or book a block of quota in Relaydesk (Quota & Billing) to lift the limit`,
    );
  };
}

/** Mail to an address on the suppression list is refused, saying since when, why, and how to undo it. */
export function rejectIfSuppressed(suppressions: SuppressionsRepo): Guard<string> {
  return (address) => {
    const entry = suppressions.find(address);
    if (!entry) return undefined;
    const since = new Date(entry.createdAt).toISOString().slice(0, 10);
    const why =
      entry.reason === 'complaint'
        ? 'the recipient complained about mail from you'
        : entry.reason === 'manual'
          ? 'it was added by hand'
          : `it hard-bounced (${entry.detail.split(':')[0]})`;
    return smtpReply(
      550,
      entry.reason === 'complaint' ? '5.7.1' : '5.1.1',
      `${address} is on the suppression list since ${since}: ${why}; remove it under Bounces & Suppressions in Relaydesk to send to it again`,
    );
  };
}

export function limitRecipients(max: number): Guard<number> {
  return (alreadyAccepted) =>
    alreadyAccepted < max
      ? undefined
      : smtpReply(
          452,
          '4.5.3',
          `Too many recipients: at most ${max} per mail; send the others in another mail`,
        );
}

/** Runs guards in order and returns the first refusal. */
export function firstRefusal(...results: (() => SmtpReply | undefined)[]): SmtpReply | undefined {
  for (const check of results) {
    const refusal = check();
    if (refusal) return refusal;
  }
  return undefined;
}
