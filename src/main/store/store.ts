import { ConnectionsRepo } from './connections-repo';
import { type Db, type OpenOptions, openDatabase } from './db';
import { DomainsRepo } from './domains-repo';
import { MessagesRepo } from './messages-repo';
import { SettingsRepo } from './settings-repo';

/** The store: one database, one repository per aggregate. */
export interface Store {
  db: Db;
  connections: ConnectionsRepo;
  messages: MessagesRepo;
  domains: DomainsRepo;
  settings: SettingsRepo;
  close(): void;
}

export function openStore(file: string, options: OpenOptions = {}): Store {
  const db = openDatabase(file, options);
  return {
    db,
    connections: new ConnectionsRepo(db),
    messages: new MessagesRepo(db),
    domains: new DomainsRepo(db),
    settings: new SettingsRepo(db),
    close: () => db.close(),
  };
}
