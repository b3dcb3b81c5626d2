import type { ActivityEntry } from '../domain/activity';
import type { BounceDetail, BounceRecord, PastedBounceAnalysis } from '../domain/bounce';
import type { Connection, SmtpAccess } from '../domain/connection';
import type { MessageContent, MessageDetail, MessageSummary } from '../domain/message';
import type { QueueEntry, QueueState } from '../domain/queue';
import type { QuotaSummary, Statement } from '../domain/quota';
import type { DkimKey, DnsCheckResult, SendingDomain } from '../domain/sending-domain';
import type { CleanupReport, SettingEntry } from '../domain/settings';
import type { StatBucket, StatsPoint, StatsSummary } from '../domain/stats';
import type { RelayStatus } from '../domain/status';
import type { Suppression } from '../domain/suppression';
import type { WebhookAttempt, WebhookEndpoint, WebhookSecret } from '../domain/webhook';
import type { CertificateDownload, ConnectionSetup } from '../setup/shop-setup';
import type { MethodName } from './methods';
import type { ParamsOf } from './schemas';

export type { MethodName } from './methods';

/** What each method returns. Params come from schemas.ts, so types and runtime checks never drift. */
interface Results {
  'status.get': RelayStatus;
  'connections.list': Connection[];
  'connections.get': Connection;
  'connections.create': { connection: Connection; access: SmtpAccess };
  'connections.update': Connection;
  'connections.delete': { id: string };
  'connections.rotatePassword': { connection: Connection; access: SmtpAccess };
  'domains.list': SendingDomain[];
  'domains.get': SendingDomain;
  'domains.create': SendingDomain;
  'domains.update': SendingDomain;
  'domains.delete': { id: string };
  'domains.generateKey': { domain: SendingDomain; key: DkimKey };
  'domains.importKey': { domain: SendingDomain; key: DkimKey; warnings: string[] };
  'domains.activateKey': SendingDomain;
  'domains.deleteKey': SendingDomain;
  'domains.checkDns': { domain: SendingDomain; result: DnsCheckResult };
  'messages.search': { items: MessageSummary[]; nextCursor: string | null };
  'messages.get': MessageDetail;
  'messages.raw': { id: string; raw: string; size: number; truncated: boolean };
  'messages.content': MessageContent;
  'messages.attachment': { filename: string; contentType: string; size: number; base64: string };
  'messages.retry': { id: string; recipients: number };
  'messages.cancel': { id: string; recipients: number };
  'messages.release': {
    id: string;
    recipients: number;
    /** Where it went: the captured recipients, or the one address typed. */
    to: 'original' | 'address';
    /** signed: at intake; signed-at-release: kept unsigned, signed now; unsigned: goes out without a signature. */
    signing: ReleaseSigning;
  };
  'bounces.search': { items: BounceRecord[]; nextCursor: string | null };
  'bounces.get': BounceDetail;
  'bounces.analyze': PastedBounceAnalysis;
  'suppressions.search': { items: Suppression[]; nextCursor: string | null; total: number };
  'suppressions.add': Suppression;
  'suppressions.remove': { address: string };
  'suppressions.import': {
    added: number;
    alreadyListed: number;
    errors: { line: number; message: string }[];
  };
  'suppressions.export': { csv: string; count: number };
  'quota.get': QuotaSummary;
  'quota.bookBlock': QuotaSummary;
  'quota.setAutoRenew': QuotaSummary;
  'quota.statements': Statement[];
  'quota.exportStatement': { filename: string; contentType: string; content: string };
  'queue.list': { items: QueueEntry[]; nextCursor: string | null };
  'queue.state': QueueState;
  'queue.pause': QueueState;
  'queue.resume': QueueState;
  'stats.summary': StatsSummary;
  'stats.series': { bucket: StatBucket; timeZone: string; points: StatsPoint[] };
  'maintenance.cleanup': CleanupReport;
  'settings.get': SettingEntry[];
  'settings.update': SettingEntry[];
  'connections.setup': ConnectionSetup;
  'tls.certificate': CertificateDownload;
  'webhooks.list': WebhookEndpoint[];
  'webhooks.create': WebhookSecret;
  'webhooks.update': WebhookEndpoint;
  'webhooks.delete': { id: string };
  'webhooks.rotateSecret': WebhookSecret;
  'webhooks.history': WebhookAttempt[];
  'webhooks.sendTest': WebhookAttempt;
  'messages.countCaptured': { connectionId: string; messages: number };
  'messages.deleteCaptured': { connectionId: string; deleted: number };
  /** The accepted test mail: open it with messages.get. */
  'connections.sendTest': { messageId: string; from: string; to: string };
  'activity.search': { items: ActivityEntry[]; nextCursor: string | null };
  /** Accepted: the relay restarts in a moment. `startedAt` is this run's; the next run's differs (status.get). */
  'relay.restart': { restarting: true; startedAt: number };
}

export type ReleaseSigning = 'signed' | 'signed-at-release' | 'unsigned';

export type Contract = { [M in MethodName]: { params: ParamsOf<M>; result: Results[M] } };
export type ResultOf<M extends MethodName> = Results[M];

/** Push events: one channel, `{type, data}`. */
export interface EventMap {
  'message.accepted': MessageSummary;
  'message.changed': MessageSummary;
  'connection.changed': Connection;
  'connection.deleted': { id: string };
  'domain.changed': SendingDomain;
  'domain.deleted': { id: string };
  'bounce.recorded': BounceRecord;
  /** An address was added to (suppression set) or removed from (null) the suppression list. */
  'suppression.changed': { address: string; suppression: Suppression | null };
  /** The remaining quota fell below the alert threshold (once per crossing). */
  'quota.alert': { balance: number; threshold: number; at: number };
  /** Throttled (at most 4 a second) while a console listens, whenever counts or listeners change. */
  'status.changed': RelayStatus;
  /** A mail was refused at intake after login (rate limit, sender domain, suppressed recipient, …). */
  'intake.rejected': { connectionId: string; reply: string; at: number };
  /**
   * Throttled (at most 4 a second) while a console listens: the statistics moved. Each console
   * asks `stats.summary` / `stats.series` again in its own time zone.
   */
  'stats.changed': { at: number };
  /** A webhook endpoint changed or made an attempt (its counts and last attempt moved). */
  'webhook.changed': WebhookEndpoint;
  'webhook.deleted': { id: string; connectionId: string };
  /** messages.deleteCaptured deleted a connection's captures not yet released. */
  'captures.deleted': { connectionId: string; deleted: number };
  /**
   * Refusals were written to the activity log (at most one event per write, a few a second):
   * the newest of them (up to 50) and how many there were.
   */
  'activity.recorded': { entries: ActivityEntry[]; count: number };
}

export type EventName = keyof EventMap;
export type PushEvent = { [E in EventName]: { type: E; data: EventMap[E] } }[EventName];

/** The one interface the console (and tests) program against, whatever the transport. */
export interface RelaydeskApi {
  call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  /** Subscribe to push events; returns an unsubscribe function. */
  onEvent(listener: (event: PushEvent) => void): () => void;
}

export const EVENT_NAMES: EventName[] = [
  'message.accepted',
  'message.changed',
  'connection.changed',
  'connection.deleted',
  'domain.changed',
  'domain.deleted',
  'bounce.recorded',
  'suppression.changed',
  'quota.alert',
  'status.changed',
  'intake.rejected',
  'stats.changed',
  'webhook.changed',
  'webhook.deleted',
  'captures.deleted',
  'activity.recorded',
];
