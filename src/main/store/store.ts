import { ActivityRepo } from './activity-repo';
import { BodiesRepo } from './bodies-repo';
import { BouncesRepo } from './bounces-repo';
import { ConnectionsRepo } from './connections-repo';
import { CountsRepo } from './counts-repo';
import { type Db, type OpenOptions, openDatabase } from './db';
import { DomainsRepo } from './domains-repo';
import { MessagesRepo } from './messages-repo';
import { QueueRepo } from './queue-repo';
import { QuotaRepo } from './quota-repo';
import { RetentionRepo } from './retention-repo';
import { SettingsRepo } from './settings-repo';
import { StatsRepo } from './stats-repo';
import { SuppressionsRepo } from './suppressions-repo';
import { WebhooksRepo } from './webhooks-repo';

/** The store: one database, one repository per aggregate. */
export interface Store {
  db: Db;
  bodies: BodiesRepo;
  connections: ConnectionsRepo;
  messages: MessagesRepo;
  domains: DomainsRepo;
  queue: QueueRepo;
  quota: QuotaRepo;
  bounces: BouncesRepo;
  suppressions: SuppressionsRepo;
  settings: SettingsRepo;
  stats: StatsRepo;
  counts: CountsRepo;
  retention: RetentionRepo;
  activity: ActivityRepo;
  close(): void;
  webhooks: WebhooksRepo;
}

export function openStore(file: string, options: OpenOptions = {}): Store {
  const db = openDatabase(file, options);
  return {
    db,
    bodies: new BodiesRepo(db),
    connections: new ConnectionsRepo(db),
    messages: new MessagesRepo(db),
    domains: new DomainsRepo(db),
    queue: new QueueRepo(db),
    quota: new QuotaRepo(db),
    bounces: new BouncesRepo(db),
    suppressions: new SuppressionsRepo(db),
    settings: new SettingsRepo(db),
    stats: new StatsRepo(db),
    counts: new CountsRepo(db),
    retention: new RetentionRepo(db),
    activity: new ActivityRepo(db),
    close: () => db.close(),
    webhooks: new WebhooksRepo(db),
  };
}
