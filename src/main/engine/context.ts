import type { ActivityLog } from '../activity/activity-log';
import type { BounceRecorder } from '../bounces/recorder';
import type { SettingsService } from '../config/settings';
import type { Target } from '../delivery/routes';
import type { DkimKeyStore } from '../dkim/key-store';
import type { LoginTickets } from '../intake/login-tickets';
import type { TlsMaterial } from '../intake/tls-certificate';
import type { WebhookDispatcher } from '../notify/webhook-dispatcher';
import type { DeliveryEngine } from '../queue/delivery-engine';
import type { QuotaAlerts } from '../quota/alerts';
import type { QuotaLedger } from '../quota/ledger';
import type { Spool } from '../spool/spool';
import type { Store } from '../store/store';
import type { Clock } from './clock';
import type { EngineEvents } from './events';
import type { Health } from './health';
import type { Logger } from './logger';
import type { Resolver } from './resolver';

/** What services see of the running engine. Nothing here knows of Electron or HTTP. */
export interface EngineContext {
  version: string;
  startedAt: number;
  dataDir: string;
  store: Store;
  spool: Spool;
  dkimKeys: DkimKeyStore;
  settings: SettingsService;
  clock: Clock;
  resolver: Resolver;
  /** Port of recipient MX servers: 25, except where tests put their MX on a free port. */
  mxPort: number;
  events: EngineEvents;
  log: Logger;
  /** Failures the relay survived, shown in status.get and the console until they recover. */
  health: Health;
  smtp: { host: string; port: number };
  tls: () => TlsMaterial;
  /** Quota: charges, blocks, statements; and the low-quota alert. */
  quota?: QuotaLedger;
  quotaAlerts?: QuotaAlerts;
  /** Records bounces, complaints and auto-replies and applies them (status, suppression). */
  bounces?: BounceRecorder;
  /** Where the bounce listener listens, once started. */
  bounceListener?: { host: string; port: number };
  /** Set once the engine has started it; services kick it after retry/release/resume. */
  delivery?: DeliveryEngine;
  /** Sends the webhook outbox; services create endpoints and test events through it. */
  webhooks?: WebhookDispatcher;
  /** One-time SMTP logins, so the console's test mail goes through the real intake (connections.sendTest). */
  loginTickets?: LoginTickets;
  /** The simulator's mail server (127.0.0.1, a free port), once started: simulator addresses go there. */
  simulator?: Target;
  /** The activity log's writer (refused SMTP commands and sessions), once started. */
  activity?: ActivityLog;
  /**
   * Restarts the engine with the saved settings, as the program running it does that (headless:
   * in this process; desktop: a relaunch). Called after the reply has gone; absent where no
   * program can (the engine alone in tests).
   */
  restart?: () => void;
  /** Loads and applies the certificate named by the settings (or the generated one). */
  applyCertificate(certFile: string, keyFile: string): Promise<TlsMaterial>;
}
