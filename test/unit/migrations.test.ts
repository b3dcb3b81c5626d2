import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { bundledMigrations, migrate } from '../../src/main/store/db';

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
});
