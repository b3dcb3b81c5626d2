import Database from 'better-sqlite3';

export type Db = Database.Database;

/** Numbered migrations, bundled as text: `NNNN_name.sql`, applied in order, each in one transaction. */
const MIGRATIONS = import.meta.glob('./migrations/*.sql', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function bundledMigrations(): Migration[] {
  return Object.entries(MIGRATIONS)
    .map(([path, sql]) => {
      const file = path.split('/').pop() ?? path;
      const match = /^(\d{4})_(.+)\.sql$/.exec(file);
      if (!match?.[1] || !match[2]) throw new Error(`Migration file name must be NNNN_name.sql: ${file}`);
      return { version: Number(match[1]), name: match[2], sql };
    })
    .sort((a, b) => a.version - b.version);
}

export interface OpenOptions {
  /** Path of a better_sqlite3.node built for this runtime (the desktop app ships an Electron-ABI one). */
  nativeBinding?: string;
  migrations?: Migration[];
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  db.pragma('journal_mode = WAL');
  // FULL: a commit is on disk when it returns. Acceptance answers 250 only after it.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Deleted or replaced content is zeroed inside its page (no extra I/O), so a secret sealed or
  // a message removed does not linger in the file's free space.
  db.pragma('secure_delete = FAST');
  migrate(db, options.migrations ?? bundledMigrations());
  reusePreparedStatements(db);
  return db;
}

/**
 * Runs `write` with commits that are not fsynced (`synchronous = NORMAL` in WAL mode): the commit
 * is in the WAL, ordered, and survives a crash of the process, but a power cut may take the last
 * of them back — until the next full commit (an accepted mail), whose fsync of the WAL makes
 * everything before it durable too. For delivery's own bookkeeping (claims, outcomes): losing one
 * to a power cut means a mail is sent once more, never that an accepted mail is lost. Never for
 * what a client is told is stored (a 250, an API answer).
 */
export function withoutFsync<T>(db: Db, write: () => T): T {
  db.pragma('synchronous = NORMAL');
  try {
    return write();
  } finally {
    db.pragma('synchronous = FULL');
  }
}

/** SQL texts whose statements are kept; dynamic SQL (IN lists of varying length) beyond this is prepared each time. */
const MAX_CACHED_STATEMENTS = 1000;

/**
 * Makes `db.prepare` return the statement already compiled for the same SQL text: repositories
 * prepare where they use a statement (readable), and compiling again on every call was 5–6 % of
 * the relay's CPU under load (docs/performance.md). A shared statement's mode must never change
 * under another user, so `.pluck()` on a cached statement returns a second cached statement
 * compiled in pluck mode instead of switching the first. Statements run synchronously and are
 * never iterated, so sharing one is safe.
 */
function reusePreparedStatements(db: Db): void {
  const compile = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  const remember = (sql: string, statement: Database.Statement) => {
    if (cache.size < MAX_CACHED_STATEMENTS) cache.set(sql, statement);
    return statement;
  };
  db.prepare = ((sql: string) => {
    const cached = cache.get(sql);
    if (cached) return cached;
    const statement = compile(sql);
    if (statement.reader) {
      let plucked: Database.Statement | undefined;
      statement.pluck = ((toggle = true) => {
        if (!toggle) return statement;
        plucked ??= compile(sql).pluck(true);
        return plucked;
      }) as Database.Statement['pluck'];
    }
    return remember(sql, statement);
  }) as Db['prepare'];
}

/**
 * A migration that rebuilds a table other tables reference (SQLite's "new table, copy, drop,
 * rename") starts with this line: with foreign keys on, dropping the old table would cascade into
 * its children. Foreign keys can only be switched off outside a transaction, so the runner does it
 * around that migration and runs `foreign_key_check` before committing.
 */
export const FOREIGN_KEYS_OFF = '-- migration: foreign keys off';

export function needsForeignKeysOff(sql: string): boolean {
  return sql.trimStart().startsWith(FOREIGN_KEYS_OFF);
}

export function migrate(db: Db, migrations: Migration[]): number[] {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const applied = new Set(
    db
      .prepare('SELECT version FROM schema_migrations')
      .pluck()
      .all()
      .map((v) => Number(v)),
  );
  const newlyApplied: number[] = [];
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    const keysOff = needsForeignKeysOff(m.sql);
    const keysWereOn = db.pragma('foreign_keys', { simple: true }) === 1;
    if (keysOff) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(m.sql);
        if (keysOff) requireForeignKeysIntact(db, m);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
          m.version,
          m.name,
          Date.now(),
        );
      })();
    } finally {
      if (keysOff && keysWereOn) db.pragma('foreign_keys = ON');
    }
    newlyApplied.push(m.version);
  }
  return newlyApplied;
}

/** Throws (rolling the migration back) when a row points at a parent that is not there. */
function requireForeignKeysIntact(db: Db, m: Migration): void {
  const broken = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
  if (broken.length === 0) return;
  const sample = broken
    .slice(0, 5)
    .map((b) => `${b.table} row ${b.rowid} → ${b.parent}`)
    .join(', ');
  throw new Error(
    `Migration ${m.version}_${m.name} would leave ${broken.length} row(s) pointing at nothing (${sample}); it was not applied`,
  );
}
