import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { bundledMigrations, migrate } from '../../src/main/store/db';

const insert = (db: Database.Database, id: string, name: string, createdAt: number) =>
  db
    .prepare(
      `INSERT INTO connections (id, name, username, password_hash, mode, created_at, password_changed_at)
       VALUES (?, ?, ?, 'x', 'live', ?, ?)`,
    )
    .run(id, name, `user-${id}`, createdAt, createdAt);

describe('migration 0015, unique connection names', () => {
  it('keeps the oldest of names equal without case and appends its id to every later twin, without failing', () => {
    const all = bundledMigrations();
    const db = new Database(':memory:');
    migrate(
      db,
      all.filter((m) => m.version < 15),
    );
    insert(db, 'c2', 'webshop', 200);
    insert(db, 'c1', 'Webshop', 100);
    insert(db, 'c3', 'WEBSHOP', 200);
    insert(db, 'c4', 'Booking', 50);
    expect(migrate(db, all)).toEqual([15]);
    const names = db.prepare('SELECT id, name FROM connections ORDER BY id').raw().all();
    expect(names).toEqual([
      ['c1', 'Webshop'],
      ['c2', 'webshop (c2)'],
      ['c3', 'WEBSHOP (c3)'],
      ['c4', 'Booking'],
    ]);
  });

  it('makes the store itself refuse a second name that differs only in case', () => {
    const db = new Database(':memory:');
    migrate(db, bundledMigrations());
    insert(db, 'c1', 'Webshop', 100);
    expect(() => insert(db, 'c2', 'wEBSHOP', 200)).toThrow(/UNIQUE constraint failed: connections.name/);
    expect(() => db.prepare("UPDATE connections SET name = 'Booking' WHERE id = 'c1'").run()).not.toThrow();
  });
});
