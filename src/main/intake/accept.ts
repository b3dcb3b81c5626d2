import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { senderPolicyOf } from '@shared/domain/connection';
import type { MessageSummary } from '@shared/domain/message';
import type { DkimKeyStore } from '../dkim/key-store';
import { RelaxedBodyHash } from '../dkim/relaxed-body-hash';
import { dkimSignatures } from '../dkim/signer';
import type { Clock } from '../engine/clock';
import type { EngineEvents } from '../engine/events';
import { messageId } from '../engine/ids';
import type { Logger } from '../engine/logger';
import type { Spool } from '../spool/spool';
import type { ConnectionRecord } from '../store/connections-repo';
import { type AcceptedMessage, SigningKeyDeleted } from '../store/messages-repo';
import type { Store } from '../store/store';
import { type AcceptedMail, commitAlone } from './accept-commit';
import { DataNormalizer } from './data-normalizer';
import { editHeader, receivedValue, rfc5322Date } from './header-edits';
import { HeaderGate } from './header-gate';
import { firstHeader, parseHeaderBlock } from './parse-headers';
import { SENDER_RULES } from './sender-policy';
import { requireSingleFrom, type SigningSetup } from './signing-guards';
import { type SmtpReply, smtpReply } from './smtp-reply';

export interface AcceptDeps {
  spool: Spool;
  store: Store;
  dkimKeys: DkimKeyStore;
  clock: Clock;
  events: EngineEvents;
  log: Logger;
  /** Writes the mail's file and records it durably (group commit); default: alone, at once. */
  commitAccepted?: (mail: AcceptedMail) => Promise<void>;
}

export interface Envelope {
  connection: ConnectionRecord;
  mailFrom: string;
  recipients: string[];
  client: {
    address: string;
    helo: string;
    tls: string;
    /** Reverse name of the address, when one was looked up. */
    reverseName?: string;
  };
  /** The name Relaydesk gives itself in the Received: field. */
  relayName: string;
}

export type AcceptOutcome = { accepted: true; id: string } | { accepted: false; refusal: SmtpReply };

const SMUGGLING = smtpReply(
  554,
  '5.6.0',
  'The mail has a lone "." line next to a bare CR or LF line ending (an SMTP smuggling pattern); send it with CRLF line endings',
);

/**
 * Receives one mail: normalise line endings, check the From: domain's signing setup as soon as
 * the header is complete, apply Relaydesk's header edits, stream the body to the spool while
 * hashing it, sign, then make it durable — signed file fsynced, message, recipients and event
 * committed in one store transaction — and only then report the id for the 250.
 * Any refusal or failure before the commit leaves nothing behind and the client gets no 250.
 */
export async function acceptMessage(
  stream: Readable,
  envelope: Envelope,
  maxBytes: number,
  deps: AcceptDeps,
): Promise<AcceptOutcome> {
  const { connection } = envelope;
  const acceptedAt = deps.clock.now();
  const id = messageId(acceptedAt);
  const rules = SENDER_RULES[senderPolicyOf(connection)];
  /** null: kept unsigned (a sandbox connection that accepts any sender). */
  let setup: SigningSetup | null | undefined;
  let fromDomain = '';
  let header: Buffer | undefined;

  const normalizer = new DataNormalizer(maxBytes);
  const gate = new HeaderGate(async (received) => {
    const from = requireSingleFrom(received);
    if ('refuse' in from) return from;
    const found = await rules.decideFrom(
      { domains: deps.store.domains, keyStore: deps.dkimKeys },
      connection,
      from.domain,
    );
    if ('refuse' in found) return found;
    setup = found.setup;
    fromDomain = from.domain;
    const date = rfc5322Date(acceptedAt);
    header = editHeader(received, {
      messageId: `<${id}@${from.domain}>`,
      date,
      listHelp: found.setup?.domain.listHelp ?? null,
      received: receivedValue({
        helo: envelope.client.helo,
        address: envelope.client.address,
        reverseName: envelope.client.reverseName,
        relayName: envelope.relayName,
        tls: envelope.client.tls,
        id,
        date,
      }),
    });
    return { header };
  });
  const hasher = new RelaxedBodyHash();
  const body = deps.spool.receiveBody(id);

  const refuse = async (refusal: SmtpReply): Promise<AcceptOutcome> => {
    await body.discard();
    deps.log.info('refused', { conn: connection.id, size: normalizer.bytes, reply: refusal.toString() });
    return { accepted: false, refusal };
  };

  try {
    await pipeline(stream, normalizer, gate, hasher, body);
  } catch (err) {
    await body.discard();
    throw err;
  }
  if (normalizer.oversized)
    return refuse(smtpReply(552, '5.3.4', `Message too big: the limit is ${maxBytes} bytes`));
  if (normalizer.smuggling) return refuse(SMUGGLING);
  if (gate.decision && 'refuse' in gate.decision) return refuse(gate.decision.refuse);
  if (setup === undefined || !header || !hasher.bodyHash)
    throw new Error('the header gate let a mail through without a decision');

  const signatures = Buffer.from(
    setup ? await dkimSignatures(header, hasher.bodyHash, setup.keys, acceptedAt) : '',
    'latin1',
  );
  const head = Buffer.concat([signatures, header]);
  const file = await deps.spool.stage(id, head, body);
  const { size } = file;

  const headers = parseHeaderBlock(head);
  const message: AcceptedMessage = {
    id,
    connectionId: connection.id,
    connectionName: connection.name,
    mode: connection.mode,
    acceptedAt,
    mailFrom: envelope.mailFrom,
    headerFrom: firstHeader(headers, 'From'),
    sendingDomain: setup?.domain.domain ?? fromDomain,
    subject: firstHeader(headers, 'Subject'),
    messageId: firstHeader(headers, 'Message-ID'),
    size,
    clientAddress: envelope.client.address,
    clientHelo: envelope.client.helo,
    clientTls: envelope.client.tls,
    headers,
    recipients: envelope.recipients,
    status: connection.mode === 'sandbox' ? 'captured' : 'queued',
    dkimKeyIds: setup?.keys.map((k) => k.id) ?? [],
  };
  try {
    if (deps.commitAccepted) await deps.commitAccepted({ message, file });
    else commitAlone(deps.store, deps.spool, { message, file });
  } catch (err) {
    await deps.spool.remove(id);
    if (err instanceof SigningKeyDeleted) {
      const refusal = smtpReply(
        451,
        '4.3.0',
        `A DKIM key of "${message.sendingDomain}" was deleted while this mail arrived; send it again`,
      );
      deps.log.info('refused', { conn: connection.id, size: message.size, reply: refusal.toString() });
      return { accepted: false, refusal };
    }
    throw err;
  }

  deps.log.info('accepted', {
    msg: id,
    conn: connection.id,
    from: message.mailFrom,
    rcpts: message.recipients.length,
    size: message.size,
    status: message.status,
    dkim: setup ? setup.keys.map((k) => `${k.algorithm}:${k.selector}`).join(',') : rules.describe,
  });
  deps.events.emit('message.accepted', summaryOf(message));
  return { accepted: true, id };
}

function summaryOf(m: AcceptedMessage): MessageSummary {
  return {
    id: m.id,
    acceptedAt: m.acceptedAt,
    connectionId: m.connectionId,
    connectionName: m.connectionName,
    mode: m.mode,
    mailFrom: m.mailFrom,
    from: m.headerFrom,
    subject: m.subject,
    size: m.size,
    recipients: m.recipients,
    status: m.status,
    statusCounts: { [m.status]: m.recipients.length },
  };
}
