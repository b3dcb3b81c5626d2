import { ConnectionsRepo } from './connections-repo';
import { type Db, type OpenOptions, openDatabase } from './db';
import { MessagesRepo } from './messages-repo';
import { SettingsRepo } from './settings-repo';

/** The store: one database, one repository per aggregate. */
export interface Store {
  db: Db;
  connections: ConnectionsRepo;
  messages: MessagesRepo;
  settings: SettingsRepo;
  close(): void;
}

export function openStore(file: string, options: OpenOptions = {}): Store {
  const db = openDatabase(file, options);
  return {
    db,
    connections: new ConnectionsRepo(db),
    messages: new MessagesRepo(db),
    settings: new SettingsRepo(db),
    close: () => db.close(),
  };
}
