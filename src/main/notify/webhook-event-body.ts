import type { WebhookEventBody } from '@shared/domain/webhook';
import type { EventFacts, OutboxEntry } from '../store/webhooks-repo';

const ENHANCED = /\b([245]\.\d{1,3}\.\d{1,3})\b/;

/**
 * The JSON body of an outbox event: who sent it (connection), which mail, which recipient, and
 * for bounces and complaints the reason and verdict of the bounce Relaydesk recorded.
 */
export function eventBody(
  e: OutboxEntry,
  facts: EventFacts,
  connection: { id: string; name: string },
): WebhookEventBody {
  const { message, bounce } = facts;
  const status = bounce?.status || ENHANCED.exec(e.reply)?.[1];
  return {
    id: e.eventId,
    type: e.type,
    occurredAt: new Date(e.occurredAt).toISOString(),
    connection: message?.connectionId
      ? { id: message.connectionId, name: message.connectionName }
      : connection,
    message: {
      id: e.messageId ?? '',
      messageId: message?.messageId ?? '',
      ...(message?.subject ? { subject: message.subject } : {}),
    },
    recipient: e.recipient,
    ...(bounce ? { reason: bounce.reason } : {}),
    ...(bounce && bounce.hard !== null && e.type === 'bounced' ? { hard: bounce.hard } : {}),
    ...(status ? { status } : {}),
    ...(e.reply ? { reply: e.reply } : {}),
    ...(e.attempts > 0 ? { attempts: e.attempts } : {}),
  };
}

/** The body of webhooks.sendTest: the shape of a real event, marked `test`, about no real mail. */
export function testEventBody(
  id: string,
  at: number,
  connection: { id: string; name: string },
): WebhookEventBody {
  return {
    id,
    type: 'test',
    occurredAt: new Date(at).toISOString(),
    connection,
    message: { id: 'test', messageId: '<test@relaydesk.invalid>', subject: 'Relaydesk webhook test' },
    recipient: 'test@relaydesk.invalid',
    status: '2.0.0',
    reply: '250 2.0.0 This is a test event; no mail was sent',
    attempts: 0,
  };
}
