import type { RecipientStatus } from './message';

/** One recipient waiting for delivery, as the Queue view shows it. */
export interface QueueEntry {
  recipientId: number;
  messageId: string;
  address: string;
  domain: string;
  status: RecipientStatus;
  attempts: number;
  nextAttemptAt: number | null;
  lastReply: string;
  subject: string;
  connectionName: string;
  acceptedAt: number;
  /** When Relaydesk gives up on it (queue lifetime). */
  expiresAt: number;
}

export interface QueueState {
  /** Paused recipient domains; "*" means all delivery is paused. */
  paused: string[];
  counts: { queued: number; deferred: number; sending: number };
  /** Connections open to recipient servers now. */
  activeConnections: number;
}
