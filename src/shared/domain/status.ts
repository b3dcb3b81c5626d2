import type { StatusCounts } from './message';
import type { QueueState } from './queue';

export interface RelayStatus {
  version: string;
  startedAt: number;
  dataDir: string;
  smtp: {
    /** Address the relay listens on. */
    host: string;
    port: number;
    /** Host name shops should use (shown in the SMTP access data). */
    publicHost: string;
    tls: TlsCertificateInfo;
  };
  /** The bounce listener, once started. */
  bounces: { host: string; port: number } | null;
  queue: QueueState;
  quota: { balance: number; onDemo: boolean; periodEnd: number; rateLimitedUntil: number | null };
  counts: {
    messages: number;
    connections: number;
    activeConnections: number;
    recipients: StatusCounts;
    suppressions: number;
  };
}

export interface TlsCertificateInfo {
  /** SHA-256 fingerprint, colon-separated hex as browsers and openssl show it. */
  fingerprint256: string;
  subject: string;
  validTo: string;
  /** 'generated' = self-signed by Relaydesk on first start; 'custom' = the user's own PEM. */
  source: 'generated' | 'custom';
}
