/** A server the load generator submits to: Relaydesk, Postfix + OpenDKIM or Postfix alone. */
export const TARGETS = ['relaydesk', 'postfix-dkim', 'postfix'] as const;
export type TargetKey = (typeof TARGETS)[number];

export const TARGET_LABELS: Record<TargetKey, string> = {
  relaydesk: 'Relaydesk',
  'postfix-dkim': 'Postfix + OpenDKIM',
  postfix: 'Postfix',
};

export interface HeapReading {
  /** V8 heap in use now, and its peak since the previous reading (sampled every 10 ms). */
  heap: number;
  peakHeap: number;
  /** The same for heap + external memory (Buffers). */
  all: number;
  peakAll: number;
  /** Event-loop delay since the previous reading: p99 and maximum, ms. */
  loopP99Ms: number;
  loopMaxMs: number;
}

export interface Target {
  key: TargetKey;
  /** Submission port on 127.0.0.1 (STARTTLS + AUTH required). */
  port: number;
  user: string;
  pass: string;
  /** The DKIM key records (TXT name → value) a signed mail verifies against; undefined: no signing. */
  dkimRecords?: Record<string, string>;
  /** The processes whose memory counts for this target, now. */
  pids(): number[];
  /** Reads the server's V8 heap and event-loop delay since the previous reading (Relaydesk only). */
  heap?: () => Promise<HeapReading>;
  stop(): Promise<void>;
}

export const SENDER_DOMAIN = 'example.com';
export const RECIPIENT_DOMAIN = 'example.org';
