import type { Readable } from 'node:stream';
import type { AttemptOutcome } from '@shared/domain/message';
import type { ClaimedRecipient } from '../store/queue-repo';
import { classifyFailure, parseReply, type SmtpAnswer } from './reply';
import type { OutboundSession } from './smtp-client';

/**
 * One mail to one recipient: one SMTP transaction whose return path (VERP) names that recipient,
 * so a bounce report to it can speak for no one else.
 */
export interface DeliveryJob {
  messageId: string;
  domain: string;
  recipient: ClaimedRecipient;
  /** The signed mail, as sent (from the spool: the store or its file). */
  body: () => Readable;
  /** null for Relaydesk's own mail, which is not billed. */
  connectionId: string | null;
  envelopeFrom: string;
  size: number;
}

/** What the recipient server (or the attempt to reach it) said about one recipient. */
export interface RecipientResult {
  recipient: ClaimedRecipient;
  result: 'delivered' | 'temporary' | 'permanent';
  answer: SmtpAnswer;
}

export interface TransactionResult {
  results: RecipientResult[];
  /** The session failed as a whole (connection lost, timeout): do not reuse it. */
  sessionBroken: boolean;
}

interface RejectedError {
  recipient?: string;
  responseCode?: number;
  response?: string;
}

/**
 * Sends one job over an open session and reads the recipient's outcome: the DATA reply when it
 * was accepted, the RCPT reply when it was refused.
 */
export async function sendJob(session: OutboundSession, job: DeliveryJob): Promise<TransactionResult> {
  const { recipient } = job;
  const envelope = { from: job.envelopeFrom, to: [recipient.address], size: job.size };
  const body = job.body();
  // A read error reaches send() while it pipes; one before (a refused RCPT, a dropped session)
  // must not go unhandled, and a body never read must not keep its file open.
  body.on('error', () => undefined);
  try {
    const info = await session.send(envelope, body);
    const refused = (info.rejectedErrors as RejectedError[] | undefined)?.[0];
    const result: RecipientResult = refused
      ? {
          recipient,
          result: (refused.responseCode ?? 0) >= 500 ? 'permanent' : 'temporary',
          answer: { ...parseReply(refused.response), command: 'RCPT' },
        }
      : { recipient, result: 'delivered', answer: parseReply(info.response) };
    return { results: [result], sessionBroken: false };
  } catch (err) {
    const e = err as { code?: string; responseCode?: number; rejectedErrors?: RejectedError[] };
    const refused = e.rejectedErrors?.[0];
    let result: RecipientResult;
    if (refused) {
      result = {
        recipient,
        result: (refused.responseCode ?? 0) >= 500 ? 'permanent' : 'temporary',
        answer: { ...parseReply(refused.response), command: 'RCPT' },
      };
    } else {
      const { permanent, answer } = classifyFailure(err);
      result = { recipient, result: permanent ? 'permanent' : 'temporary', answer };
    }
    const refusedByServer = (e.code === 'EENVELOPE' || e.code === 'EMESSAGE') && e.responseCode !== 421;
    if (refusedByServer && session.usable) {
      await session.reset().catch(() => session.close());
    } else {
      session.close();
    }
    return { results: [result], sessionBroken: !refusedByServer };
  } finally {
    body.destroy();
  }
}

export function outcomeOf(result: RecipientResult['result'], expired: boolean): AttemptOutcome {
  if (result === 'delivered') return 'delivered';
  if (result === 'permanent') return 'bounced';
  return expired ? 'expired' : 'deferred';
}
