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
  /** What has failed and not yet recovered; empty when all is well. */
  problems: RelayProblem[];
}

/** The part of the relay a problem is in. */
export type RelayProblemArea =
  | 'relay'
  | 'intake'
  | 'delivery'
  | 'store'
  | 'bounces'
  | 'console'
  | 'quota'
  | 'retention'
  | 'notify'
  | 'settings';

/** A failure the relay survived and reports, with what the user can do about it. */
export interface RelayProblem {
  /** Stable key: the area, or the area and a detail (`delivery:disk`). */
  key: string;
  area: RelayProblemArea;
  /** The last error, as the system gave it. */
  message: string;
  /** Error code when there is one (ENOSPC, SQLITE_FULL, …). */
  code?: string;
  /** What to do, in the user's words. */
  nextStep: string;
  firstAt: number;
  lastAt: number;
  /** Failures since the problem appeared. */
  count: number;
}

export interface TlsCertificateInfo {
  /** SHA-256 fingerprint, colon-separated hex as browsers and openssl show it. */
  fingerprint256: string;
  subject: string;
  validTo: string;
  /** 'generated' = self-signed by Relaydesk on first start; 'custom' = the user's own PEM. */
  source: 'generated' | 'custom';
  /** Host names and IP addresses the certificate is valid for (subjectAltName). */
  names: string[];
  validFrom: string;
}

/** "127.0.0.1:2525", "[::1]:2525": where the relay listens. */
export function relayAddress(smtp: { host: string; port: number }): string {
  const host = smtp.host.includes(':') ? `[${smtp.host}]` : smtp.host;
  return `${host}:${smtp.port}`;
}

/** "AB:CD:EF:01…9A:BC:DE:F0": enough to compare at a glance; show the full value on hover and copy. */
export function shortFingerprint(fp: string): string {
  const parts = fp.split(':');
  if (parts.length <= 8) return fp;
  return `${parts.slice(0, 4).join(':')}…${parts.slice(-4).join(':')}`;
}
