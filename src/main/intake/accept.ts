import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { MessageSummary } from '@shared/domain/message';
import type { Clock } from '../engine/clock';
import type { EngineEvents } from '../engine/events';
import { messageId } from '../engine/ids';
import type { Logger } from '../engine/logger';
import type { Spool } from '../spool/spool';
import type { ConnectionRecord } from '../store/connections-repo';
import type { AcceptedMessage } from '../store/messages-repo';
import type { Store } from '../store/store';
import { IntakeTap } from './header-capture';
import { firstHeader, parseHeaderBlock } from './parse-headers';

export interface AcceptDeps {
  spool: Spool;
  store: Store;
  clock: Clock;
  events: EngineEvents;
  log: Logger;
}

export interface Envelope {
  connection: ConnectionRecord;
  mailFrom: string;
  recipients: string[];
  client: { address: string; helo: string; tls: string };
}

export type AcceptOutcome = { accepted: true; id: string } | { accepted: false; reason: 'oversized' };

/**
 * Durable acceptance: stream the mail to its spool file, fsync file and folder, record message,
 * recipients and event in one store transaction — and only then report the id for the 250.
 * Any failure before the commit throws the spool file away and the client gets no 250.
 */
export async function acceptMessage(
  stream: Readable,
  envelope: Envelope,
  maxBytes: number,
  deps: AcceptDeps,
): Promise<AcceptOutcome> {
  const acceptedAt = deps.clock.now();
  const id = messageId(acceptedAt);
  const file = await deps.spool.create(id);
  const tap = new IntakeTap(maxBytes);
  try {
    await pipeline(stream, tap, file.stream);
    if (tap.oversized) {
      await file.discard();
      deps.log.info('refused', { conn: envelope.connection.id, reason: 'oversized', size: tap.bytes });
      return { accepted: false, reason: 'oversized' };
    }
    await file.commit();
  } catch (err) {
    await file.discard();
    throw err;
  }

  const headers = parseHeaderBlock(tap.headerBlock());
  const { connection } = envelope;
  const message: AcceptedMessage = {
    id,
    connectionId: connection.id,
    connectionName: connection.name,
    mode: connection.mode,
    acceptedAt,
    mailFrom: envelope.mailFrom,
    headerFrom: firstHeader(headers, 'From'),
    subject: firstHeader(headers, 'Subject'),
    messageId: firstHeader(headers, 'Message-ID'),
    size: tap.bytes,
    clientAddress: envelope.client.address,
    clientHelo: envelope.client.helo,
    clientTls: envelope.client.tls,
    headers,
    recipients: envelope.recipients,
    status: connection.mode === 'sandbox' ? 'captured' : 'queued',
  };
  try {
    deps.store.messages.recordAccepted(message);
  } catch (err) {
    await deps.spool.remove(id);
    throw err;
  }

  deps.log.info('accepted', {
    msg: id,
    conn: connection.id,
    from: message.mailFrom,
    rcpts: message.recipients.length,
    size: message.size,
    status: message.status,
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
