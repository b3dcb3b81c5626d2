import type { BounceRecord } from './bounce';
import type { ConnectionMode } from './connection';

/** Per-recipient status (SPEC "Message"). The recipient is the unit of work. */
export const RECIPIENT_STATUSES = [
  'queued',
  'sending',
  'delivered',
  'deferred',
  'bounced',
  'expired',
  'suppressed',
  'captured',
  'complained',
  'cancelled',
] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

export type StatusCounts = Partial<Record<RecipientStatus, number>>;

export interface HeaderField {
  name: string;
  /** Decoded (RFC 2047 words turned into text). */
  value: string;
}

export interface MessageSummary {
  id: string;
  acceptedAt: number;
  connectionId: string | null;
  connectionName: string;
  mode: ConnectionMode;
  mailFrom: string;
  from: string;
  subject: string;
  size: number;
  recipients: string[];
  /** The status that best describes the message as a whole; see summaryStatus(). */
  status: RecipientStatus;
  statusCounts: StatusCounts;
}

export interface RecipientState {
  address: string;
  status: RecipientStatus;
  attempts: number;
  updatedAt: number;
  /** When the next delivery attempt is due (queued or deferred), else null. */
  nextAttemptAt: number | null;
  /** The last reply or failure, in one line ("250 2.0.0 Ok", "connection refused", …). */
  lastReply: string;
}

export type DeliveryRoute = 'override' | 'smarthost' | 'mx' | 'simulator';
export type AttemptOutcome = 'delivered' | 'deferred' | 'bounced' | 'expired';

/** One delivery attempt for one recipient: where to, how, and what the server said. */
export interface DeliveryAttempt {
  recipient: string;
  at: number;
  route: DeliveryRoute;
  /** Host name tried (MX, route or smarthost), and the address actually connected to. */
  host: string;
  ip: string;
  port: number;
  /** "TLSv1.3 TLS_AES_256_GCM_SHA384", or "" when the mail went in clear. */
  tls: string;
  replyCode: number | null;
  enhancedStatus: string;
  reply: string;
  durationMs: number;
  outcome: AttemptOutcome;
}

export interface MessageEvent {
  at: number;
  type: string;
  recipient: string | null;
  detail: string;
}

export interface MessageDetail extends MessageSummary {
  messageId: string;
  /** The sending domain (From: domain) it was signed for. */
  sendingDomain: string;
  /** false once retention removed the stored source: preview, raw and attachments are gone. */
  bodyAvailable: boolean;
  client: { address: string; helo: string; tls: string };
  headers: HeaderField[];
  recipientStates: RecipientState[];
  events: MessageEvent[];
  attempts: DeliveryAttempt[];
  /** Bounces, complaints and auto-replies recorded for its recipients. */
  bounces: BounceRecord[];
}

/**
 * One status for a message with several recipients: the one that needs attention first
 * (a bounce outranks a delivery), so a list shows trouble even when only one recipient had it.
 */
const ATTENTION_ORDER: RecipientStatus[] = [
  'bounced',
  'complained',
  'expired',
  'deferred',
  'suppressed',
  'sending',
  'queued',
  'captured',
  'delivered',
  'cancelled',
];

export function summaryStatus(counts: StatusCounts): RecipientStatus {
  return ATTENTION_ORDER.find((s) => (counts[s] ?? 0) > 0) ?? 'queued';
}

/** An attachment (or inline part) of a stored mail. */
export interface AttachmentInfo {
  /** Position in messages.content's list; pass it to messages.attachment. */
  index: number;
  filename: string;
  contentType: string;
  size: number;
  /** Inline parts (images the HTML refers to by cid:) are attachments too. */
  contentId: string | null;
  inline: boolean;
}

/** The DKIM verification of one signature of the stored mail. */
export interface DkimCheck {
  domain: string;
  selector: string;
  algorithm: string;
  /** pass, fail, neutral, policy, temperror, permerror or none. */
  result: string;
  /** Why, in a few words ("body hash did not verify", "no key published", …). */
  comment: string;
}

/** The stored mail taken apart for the message inspector. */
export interface MessageContent {
  id: string;
  /** false: retention removed the body; only metadata is left. */
  available: boolean;
  html: string | null;
  text: string | null;
  attachments: AttachmentInfo[];
  /** How many remote (http/https) resources the HTML loads: blocked until the user allows them. */
  remoteResources: number;
  dkim: DkimCheck[];
  /**
   * What the inspector left out or could not show, and why: parts nested deeper than 50 levels,
   * parts after the first 500, or a mail mailparser could not take apart. null: all is shown.
   */
  notice: string | null;
}
