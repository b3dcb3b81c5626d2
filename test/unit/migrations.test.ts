import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { bundledMigrations, type Db, FOREIGN_KEYS_OFF, migrate } from '../../src/main/store/db';

describe('store migrations', () => {
  it('are numbered files applied in order, once', () => {
    const migrations = bundledMigrations();
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    const db = new Database(':memory:');
    expect(migrate(db, migrations)).toEqual(migrations.map((m) => m.version));
    expect(migrate(db, migrations)).toEqual([]);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(
      expect.arrayContaining(['connections', 'messages', 'recipients', 'events', 'settings']),
    );
  });

  it('roll a failing migration back whole and apply nothing after it', () => {
    const db = new Database(':memory:');
    const broken = [
      { version: 1, name: 'ok', sql: 'CREATE TABLE a (x INTEGER);' },
      { version: 2, name: 'broken', sql: 'CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);' },
      { version: 3, name: 'later', sql: 'CREATE TABLE c (x INTEGER);' },
    ];
    expect(() => migrate(db, broken)).toThrow(/nowhere/);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(['a', 'schema_migrations']);
    expect(db.prepare('SELECT version FROM schema_migrations').pluck().all()).toEqual([1]);
  });

  it('switch foreign keys off around a migration that asks for it, and refuse one that leaves rows pointing at nothing', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    const parentAndChild = {
      version: 1,
      name: 'tables',
      sql: `CREATE TABLE parent (id INTEGER PRIMARY KEY);
            CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id) ON DELETE CASCADE);
            INSERT INTO parent VALUES (1), (2); INSERT INTO child VALUES (10, 1), (20, 2);`,
    };
    const rebuild = {
      version: 2,
      name: 'rebuild',
      sql: `${FOREIGN_KEYS_OFF}
            CREATE TABLE parent_new (id INTEGER PRIMARY KEY AUTOINCREMENT);
            INSERT INTO parent_new SELECT id FROM parent;
            DROP TABLE parent;
            ALTER TABLE parent_new RENAME TO parent;`,
    };
    expect(migrate(db, [parentAndChild, rebuild])).toEqual([1, 2]);
    // The drop did not cascade into the children, and foreign keys are on again.
    expect(db.prepare('SELECT id, parent_id FROM child ORDER BY id').raw().all()).toEqual([
      [10, 1],
      [20, 2],
    ]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.prepare('DELETE FROM parent WHERE id = 1').run();
    expect(db.prepare('SELECT id FROM child').pluck().all()).toEqual([20]);

    const dangling = {
      version: 3,
      name: 'dangling',
      sql: `${FOREIGN_KEYS_OFF}
            CREATE TABLE parent_new (id INTEGER PRIMARY KEY AUTOINCREMENT);
            DROP TABLE parent;
            ALTER TABLE parent_new RENAME TO parent;`,
    };
    expect(() => migrate(db, [parentAndChild, rebuild, dangling])).toThrow(
      /3_dangling would leave 1 row\(s\) pointing at nothing \(child row 20 → parent\)/,
    );
    expect(db.prepare('SELECT id FROM parent').pluck().all()).toEqual([2]);
    expect(db.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });
});

/** Migrations up to and including `version`, as an older Relaydesk left the store. */
const upTo = (version: number) => bundledMigrations().filter((m) => m.version <= version);

/** Everything that describes a table: columns, indexes (with their columns and collations), foreign keys. */
function shapeOf(db: Db, table: string) {
  const indexes = (db.pragma(`index_list(${table})`) as { name: string; unique: number; partial: number }[])
    .map((i) => ({
      name: i.name,
      unique: i.unique,
      partial: i.partial,
      columns: db.pragma(`index_xinfo(${i.name})`),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    columns: db.pragma(`table_info(${table})`) as { name: string }[],
    indexes,
    foreignKeys: db.pragma(`foreign_key_list(${table})`),
  };
}

const TABLES = ['recipients', 'attempts', 'messages', 'bounces', 'quota_ledger'];

function snapshot(db: Db) {
  return Object.fromEntries(
    TABLES.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).raw().all()]),
  );
}

describe('migration 0008 (stable recipient ids)', () => {
  function storeBefore0008(): Db {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, upTo(7));
    db.exec(`
      INSERT INTO connections (id, name, username, password_hash, mode, created_at, password_changed_at)
        VALUES ('c1', 'Shop', 'shop', 'x', 'live', 0, 0);
      INSERT INTO messages (id, connection_id, connection_name, mode, accepted_at, mail_from, header_from, subject,
                            message_id, size, client_address, client_helo, client_tls, headers_json, sending_domain)
        VALUES ('m1', 'c1', 'Shop', 'live', 1000, 'a@example.com', 'a@example.com', 'One', '<1@x>', 10, '', '', '', '[]', 'example.com'),
               ('m2', 'c1', 'Shop', 'live', 2000, 'a@example.com', 'a@example.com', 'Two', '<2@x>', 10, '', '', '', '[]', 'example.com');
      INSERT INTO recipients (id, message_id, address, domain, status, attempts, updated_at, next_attempt_at, lease_until, last_reply)
        VALUES (1, 'm1', 'x@example.org', 'example.org', 'delivered', 1, 1100, NULL, NULL, '250 ok'),
               (2, 'm1', 'Y@Example.org', 'example.org', 'deferred', 2, 1200, 5000, NULL, '451 later'),
               (5, 'm2', 'z@example.net', 'example.net', 'sending', 1, 2100, 2000, 9000, '');
      INSERT INTO attempts (recipient_id, message_id, at, route, host, ip, port, tls, reply_code, enhanced_status, reply, duration_ms, outcome)
        VALUES (1, 'm1', 1100, 'mx', 'mx.example.org', '127.0.0.1', 25, '', 250, '2.0.0', 'ok', 5, 'delivered'),
               (2, 'm1', 1200, 'mx', 'mx.example.org', '127.0.0.1', 25, '', 451, '4.0.0', 'later', 5, 'deferred');
      INSERT INTO bounces (at, message_id, recipient_id, recipient, origin, kind, reason, hard, status, reply_code,
                           diagnostic, remote_mta, explanation)
        VALUES (1300, 'm1', 7, 'gone@example.org', 'sync', 'bounce', 'userunknown', 1, '5.1.1', '550', '', '', '');
      -- Recipient 9 was charged and then removed by retention: only the ledger still names it.
      INSERT INTO quota_ledger (at, kind, amount, recipient_id) VALUES (900, 'usage', -1, 9), (1100, 'usage', -1, 1);
    `);
    return db;
  }

  it('keeps every row, column, index and foreign key, and starts new ids above every id any row still names', () => {
    const db = storeBefore0008();
    const shapes = Object.fromEntries(TABLES.map((t) => [t, shapeOf(db, t)]));
    const rows = snapshot(db);
    const triggers = () =>
      db.prepare("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all();
    const triggersBefore = triggers();

    expect(migrate(db, upTo(8))).toEqual([8]);

    expect(snapshot(db)).toEqual(
      Object.fromEntries(
        TABLES.map((t) => [t, t === 'messages' ? rows[t]?.map((r) => [...(r as unknown[]), null]) : rows[t]]),
      ),
    );
    for (const t of TABLES) {
      const after = shapeOf(db, t);
      if (t === 'messages') {
        expect(after.columns.slice(0, -1), t).toEqual(shapes[t]?.columns);
        expect(after.columns.at(-1)).toMatchObject({ name: 'dkim_key_ids', type: 'TEXT', notnull: 0 });
        expect({ ...after, columns: [] }, t).toEqual({ ...shapes[t], columns: [] });
      } else {
        expect(after, t).toEqual(shapes[t]);
      }
    }
    expect(db.prepare("SELECT sql FROM sqlite_master WHERE name = 'recipients'").pluck().get()).toMatch(
      /AUTOINCREMENT/,
    );
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(triggers()).toEqual(triggersBefore);
    // The statistics trigger that counts a message's recipients still finds them.
    db.prepare(
      "INSERT INTO events (at, type, message_id, connection_id) VALUES (3600000, 'accepted', 'm1', 'c1')",
    ).run();
    expect(
      db
        .prepare("SELECT n FROM stats WHERE size = 3600000 AND bucket = 3600000 AND metric = 'arrived'")
        .pluck()
        .get(),
    ).toBe(2);
    // No table of the rebuild is left behind.
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name LIKE '%rebuilt%'").all()).toEqual([]);

    const { lastInsertRowid } = db
      .prepare(
        "INSERT INTO recipients (message_id, address, domain, status, updated_at) VALUES ('m2', 'n@example.org', 'example.org', 'queued', 3000)",
      )
      .run();
    expect(lastInsertRowid).toBe(10);

    // The foreign keys still act: a message takes its recipients and their attempts with it.
    db.prepare("DELETE FROM messages WHERE id = 'm1'").run();
    expect(db.prepare('SELECT COUNT(*) FROM attempts').pluck().get()).toBe(0);
    expect(db.prepare('SELECT id FROM recipients ORDER BY id').pluck().all()).toEqual([5, 10]);
    expect(() =>
      db
        .prepare(
          "INSERT INTO recipients (message_id, address, domain, status, updated_at) VALUES ('nope', 'n@example.org', 'example.org', 'queued', 3000)",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it('never hands out an id again once the recipient that had it is deleted', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, bundledMigrations());
    db.exec(`
      INSERT INTO messages (id, connection_id, connection_name, mode, accepted_at, mail_from, header_from, subject,
                            message_id, size, client_address, client_helo, client_tls, headers_json)
        VALUES ('m1', NULL, 'Relaydesk', 'live', 1000, 'a@example.com', 'a@example.com', 'One', '<1@x>', 10, '', '', '', '[]');
    `);
    const insert = db.prepare(
      "INSERT INTO recipients (message_id, address, domain, status, updated_at) VALUES ('m1', 'x@example.org', 'example.org', 'queued', 0)",
    );
    const first = [insert.run(), insert.run(), insert.run()].map((r) => Number(r.lastInsertRowid));
    db.prepare('DELETE FROM recipients').run();
    expect(Number(insert.run().lastInsertRowid)).toBeGreaterThan(Math.max(...first));
  });
});
