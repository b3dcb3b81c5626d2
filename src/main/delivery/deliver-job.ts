import { createReadStream } from 'node:fs';
import type { AttemptOutcome } from '@shared/domain/message';
import type { ClaimedRecipient } from '../store/queue-repo';
import { classifyFailure, parseReply, type SmtpAnswer } from './reply';
import type { OutboundSession } from './smtp-client';

/** One mail to the recipients it has at one domain: one SMTP transaction. */
export interface DeliveryJob {
  messageId: string;
  domain: string;
  recipients: ClaimedRecipient[];
  spoolPath: string;
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
 * Sends one job over an open session and reads the outcome per recipient: the DATA reply for
 * those accepted, the RCPT reply for those refused (one may get 550 while another gets 250).
 */
export async function sendJob(session: OutboundSession, job: DeliveryJob): Promise<TransactionResult> {
  const envelope = { from: job.envelopeFrom, to: job.recipients.map((r) => r.address), size: job.size };
  const byAddress = new Map(job.recipients.map((r) => [r.address.toLowerCase(), r]));
  const rejectedResults = (errors: RejectedError[] | undefined): RecipientResult[] =>
    (errors ?? []).flatMap((e) => {
      const recipient = byAddress.get((e.recipient ?? '').toLowerCase());
      if (!recipient) return [];
      byAddress.delete(recipient.address.toLowerCase());
      return [
        {
          recipient,
          result: (e.responseCode ?? 0) >= 500 ? 'permanent' : 'temporary',
          answer: { ...parseReply(e.response), command: 'RCPT' },
        },
      ];
    });
  try {
    const info = await session.send(envelope, createReadStream(job.spoolPath));
    const refused = rejectedResults(info.rejectedErrors);
    const answer = parseReply(info.response);
    const accepted = [...byAddress.values()].map(
      (recipient): RecipientResult => ({ recipient, result: 'delivered', answer }),
    );
    return { results: [...accepted, ...refused], sessionBroken: false };
  } catch (err) {
    const e = err as { code?: string; responseCode?: number; rejectedErrors?: RejectedError[] };
    const refused = rejectedResults(e.rejectedErrors);
    const { permanent, answer } = classifyFailure(err);
    const rest = [...byAddress.values()].map(
      (recipient): RecipientResult => ({ recipient, result: permanent ? 'permanent' : 'temporary', answer }),
    );
    const refusedByServer = (e.code === 'EENVELOPE' || e.code === 'EMESSAGE') && e.responseCode !== 421;
    if (refusedByServer && session.usable) {
      await session.reset().catch(() => session.close());
    } else {
      session.close();
    }
    return { results: [...refused, ...rest], sessionBroken: !refusedByServer };
  }
}

export function outcomeOf(result: RecipientResult['result'], expired: boolean): AttemptOutcome {
  if (result === 'delivered') return 'delivered';
  if (result === 'permanent') return 'bounced';
  return expired ? 'expired' : 'deferred';
}
