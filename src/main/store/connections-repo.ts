import type { ConnectionMode } from '@shared/domain/connection';
import type { Db } from './db';

/** A connection as stored; `Connection` (shared) adds the derived activity. */
export interface ConnectionRecord {
  id: string;
  name: string;
  username: string;
  passwordHash: string;
  enabled: boolean;
  mode: ConnectionMode;
  /** Sandbox only (the store refuses it for live): any From address, captured unsigned. */
  acceptsAnySender: boolean;
  hourlyLimit: number | null;
  createdAt: number;
  passwordChangedAt: number;
  lastActivityAt: number | null;
}

interface Row {
  id: string;
  name: string;
  username: string;
  password_hash: string;
  enabled: number;
  mode: ConnectionMode;
  accepts_any_sender: number;
  hourly_limit: number | null;
  created_at: number;
  password_changed_at: number;
  last_activity_at: number | null;
}

const fromRow = (r: Row): ConnectionRecord => ({
  id: r.id,
  name: r.name,
  username: r.username,
  passwordHash: r.password_hash,
  enabled: r.enabled === 1,
  mode: r.mode,
  acceptsAnySender: r.accepts_any_sender === 1,
  hourlyLimit: r.hourly_limit,
  createdAt: r.created_at,
  passwordChangedAt: r.password_changed_at,
  lastActivityAt: r.last_activity_at,
});

export type ConnectionChanges = Partial<
  Pick<ConnectionRecord, 'name' | 'enabled' | 'mode' | 'hourlyLimit' | 'acceptsAnySender'>
>;

export class ConnectionsRepo {
  private readonly byId;
  private readonly byUsername;
  private readonly all;
  private readonly insertStmt;
  private readonly touchStmt;

  constructor(private readonly db: Db) {
    this.byId = db.prepare<[string], Row>('SELECT * FROM connections WHERE id = ?');
    this.byUsername = db.prepare<[string], Row>('SELECT * FROM connections WHERE username = ?');
    this.all = db.prepare<[], Row>('SELECT * FROM connections ORDER BY name COLLATE NOCASE, created_at');
    this.insertStmt = db.prepare(
      `INSERT INTO connections (id, name, username, password_hash, enabled, mode, hourly_limit, created_at, password_changed_at, last_activity_at, accepts_any_sender)
       VALUES (@id, @name, @username, @passwordHash, @enabled, @mode, @hourlyLimit, @createdAt, @passwordChangedAt, @lastActivityAt, @acceptsAnySender)`,
    );
    this.touchStmt = db.prepare('UPDATE connections SET last_activity_at = ? WHERE id = ?');
  }

  list(): ConnectionRecord[] {
    return this.all.all().map(fromRow);
  }

  get(id: string): ConnectionRecord | undefined {
    const row = this.byId.get(id);
    return row && fromRow(row);
  }

  findByUsername(username: string): ConnectionRecord | undefined {
    const row = this.byUsername.get(username);
    return row && fromRow(row);
  }

  insert(c: ConnectionRecord): void {
    this.insertStmt.run({ ...c, enabled: c.enabled ? 1 : 0, acceptsAnySender: c.acceptsAnySender ? 1 : 0 });
  }

  update(id: string, changes: ConnectionChanges): void {
    const columns: Record<keyof ConnectionChanges, string> = {
      name: 'name',
      enabled: 'enabled',
      mode: 'mode',
      hourlyLimit: 'hourly_limit',
      acceptsAnySender: 'accepts_any_sender',
    };
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const [key, column] of Object.entries(columns) as [keyof ConnectionChanges, string][]) {
      if (changes[key] === undefined) continue;
      sets.push(`${column} = ?`);
      const v = changes[key];
      values.push(typeof v === 'boolean' ? (v ? 1 : 0) : v);
    }
    if (sets.length === 0) return;
    this.db.prepare(`UPDATE connections SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
  }

  setPasswordHash(id: string, hash: string, at: number): void {
    this.db
      .prepare('UPDATE connections SET password_hash = ?, password_changed_at = ? WHERE id = ?')
      .run(hash, at, id);
  }

  touch(id: string, at: number): void {
    this.touchStmt.run(at, id);
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM connections WHERE id = ?').run(id).changes > 0;
  }

  usernameTaken(username: string): boolean {
    return this.byUsername.get(username) !== undefined;
  }
}
