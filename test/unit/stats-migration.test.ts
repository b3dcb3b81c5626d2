import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { bundledMigrations, type Db, migrate } from '../../src/main/store/db';

const T = Date.UTC(2026, 5, 15, 10, 0);
const HOUR = 3_600_000;

/** A store as the version before 0010 left it, written with plain SQL (no repository in between). */
function oldStore(): Db {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(
    db,
    bundledMigrations().filter((m) => m.version <= 7),
  );
  db.exec(`INSERT INTO connections (id, name, username, password_hash, mode, created_at, password_changed_at)
           VALUES ('c1', 'Shop', 'shop', 'x', 'live', 0, 0)`);
  return db;
}

function accept(db: Db, id: string, at: number, recipients: string[]): number[] {
  db.prepare(
    `INSERT INTO messages (id, connection_id, connection_name, mode, accepted_at, mail_from, header_from, sending_domain,
       subject, message_id, size, client_address, client_helo, client_tls, headers_json)
     VALUES (?, 'c1', 'Shop', 'live', ?, 'a@shop.example', 'a@shop.example', 'shop.example', 's', '<m>', 1, '', '', '', '[]')`,
  ).run(id, at);
  const ids = recipients.map((r) =>
    Number(
      db
        .prepare(
          "INSERT INTO recipients (message_id, address, domain, status, updated_at) VALUES (?, ?, 'x.example', 'queued', ?)",
        )
        .run(id, r, at).lastInsertRowid,
    ),
  );
  event(db, at, 'accepted', id, null);
  return ids;
}

const event = (db: Db, at: number, type: string, message: string, recipient: string | null) =>
  db
    .prepare("INSERT INTO events (at, type, message_id, recipient, connection_id) VALUES (?, ?, ?, ?, 'c1')")
    .run(at, type, message, recipient);

const status = (db: Db, recipientId: number, to: string, at: number) =>
  db.prepare('UPDATE recipients SET status = ?, updated_at = ? WHERE id = ?').run(to, at, recipientId);

const bounce = (
  db: Db,
  at: number,
  message: string,
  recipientId: number,
  address: string,
  kind: string,
  hard: boolean | null,
) =>
  db
    .prepare(
      `INSERT INTO bounces (at, message_id, recipient_id, recipient, origin, kind, reason, hard, status, reply_code, diagnostic, remote_mta, explanation)
       VALUES (?, ?, ?, ?, 'async', ?, 'r', ?, '', '', '', '', '')`,
    )
    .run(at, message, recipientId, address, kind, hard === null ? null : hard ? 1 : 0);

/** The recipient's story: events and status changes as delivery and the bounce recorder write them. */
function deliver(db: Db, message: string, id: number, address: string, at: number) {
  status(db, id, 'sending', at);
  event(db, at, 'sending', message, address);
  status(db, id, 'delivered', at + 1000);
  event(db, at + 1000, 'delivered', message, address);
}

function defer(db: Db, message: string, id: number, address: string, at: number) {
  status(db, id, 'sending', at);
  status(db, id, 'deferred', at + 1000);
  event(db, at + 1000, 'deferred', message, address);
}

/** Outcome sums over one bucket size (the hour), per metric. */
const outcomes = (db: Db) =>
  Object.fromEntries(
    db
      .prepare(
        'SELECT metric, SUM(n) AS n FROM outcomes WHERE size = 3600000 GROUP BY metric HAVING SUM(n) <> 0',
      )
      .all()
      .map((r) => [(r as { metric: string }).metric, (r as { n: number }).n]),
  );
const activity = (db: Db) =>
  Object.fromEntries(
    db
      .prepare('SELECT metric, SUM(n) AS n FROM stats WHERE size = 86400000 GROUP BY metric')
      .all()
      .map((r) => [(r as { metric: string }).metric, (r as { n: number }).n]),
  );
const counts = (db: Db) =>
  Object.fromEntries(
    db
      .prepare('SELECT name, n FROM store_counts WHERE n <> 0')
      .all()
      .map((r) => [(r as { name: string }).name, (r as { n: number }).n]),
  );

describe('migration 0010 (statistics per recipient, counters for the status)', () => {
  it('rebuilds outcomes and corrects the activity from what the old store holds', () => {
    const db = oldStore();
    const [delivered = 0, bouncedLater = 0, greylisted = 0, complained = 0, soft = 0] = accept(db, 'm1', T, [
      'ok@x.example',
      'later@x.example',
      'grey@x.example',
      'angry@x.example',
      'full@x.example',
    ]);
    deliver(db, 'm1', delivered, 'ok@x.example', T + HOUR);
    deliver(db, 'm1', bouncedLater, 'later@x.example', T + HOUR);
    // The same report twice: two bounce rows, one status change.
    bounce(db, T + 2 * HOUR, 'm1', bouncedLater, 'later@x.example', 'bounce', true);
    status(db, bouncedLater, 'bounced', T + 2 * HOUR);
    bounce(db, T + 3 * HOUR, 'm1', bouncedLater, 'later@x.example', 'bounce', true);
    defer(db, 'm1', greylisted, 'grey@x.example', T + HOUR);
    defer(db, 'm1', greylisted, 'grey@x.example', T + 2 * HOUR);
    deliver(db, 'm1', greylisted, 'grey@x.example', T + 3 * HOUR);
    deliver(db, 'm1', complained, 'angry@x.example', T + HOUR);
    bounce(db, T + 4 * HOUR, 'm1', complained, 'angry@x.example', 'complaint', null);
    status(db, complained, 'complained', T + 4 * HOUR);
    status(db, soft, 'bounced', T + HOUR);
    bounce(db, T + HOUR, 'm1', soft, 'full@x.example', 'bounce', false);
    db.exec(
      "INSERT INTO suppressions (address, reason, detail, created_at) VALUES ('later@x.example', 'hard-bounce', '', 0)",
    );
    // What the old triggers counted: both deferrals, both bounce rows.
    expect(activity(db)).toMatchObject({
      arrived: 5,
      delivered: 4,
      deferred: 2,
      bouncedHard: 2,
      bouncedSoft: 1,
    });

    migrate(
      db,
      bundledMigrations().filter((m) => m.version === 10),
    );

    expect(outcomes(db)).toEqual({
      delivered: 2,
      bouncedHard: 1,
      bouncedSoft: 1,
      complained: 1,
      deferred: 1,
    });
    expect(activity(db)).toEqual({
      arrived: 5,
      delivered: 4,
      deferred: 1,
      bouncedHard: 1,
      bouncedSoft: 1,
      complained: 1,
    });
    expect(counts(db)).toEqual({
      messages: 1,
      suppressions: 1,
      'recipients.delivered': 2,
      'recipients.bounced': 2,
      'recipients.complained': 1,
    });
  });

  it('keeps counting the same way after it, whichever order a bounce row and its status change come in', () => {
    const db = oldStore();
    migrate(
      db,
      bundledMigrations().filter((m) => m.version === 10),
    );
    const [first = 0, second = 0, third = 0] = accept(db, 'm2', T, [
      'a@x.example',
      'b@x.example',
      'c@x.example',
    ]);
    expect(outcomes(db)).toEqual({ waiting: 3 });
    // Soft bounce report: status first, then the row.
    deliver(db, 'm2', first, 'a@x.example', T + HOUR);
    status(db, first, 'bounced', T + 2 * HOUR);
    expect(outcomes(db)).toMatchObject({ bouncedHard: 1 });
    bounce(db, T + 2 * HOUR, 'm2', first, 'a@x.example', 'bounce', false);
    // The row first, then the status.
    deliver(db, 'm2', second, 'b@x.example', T + HOUR);
    bounce(db, T + 2 * HOUR, 'm2', second, 'b@x.example', 'bounce', false);
    status(db, second, 'bounced', T + 2 * HOUR);
    // A later hard report for the first moves it to hard; a duplicate of it changes nothing.
    bounce(db, T + 3 * HOUR, 'm2', first, 'a@x.example', 'bounce', true);
    bounce(db, T + 3 * HOUR, 'm2', first, 'a@x.example', 'bounce', true);
    defer(db, 'm2', third, 'c@x.example', T + HOUR);
    defer(db, 'm2', third, 'c@x.example', T + 2 * HOUR);
    expect(outcomes(db)).toEqual({ bouncedHard: 1, bouncedSoft: 1, waiting: 1, deferred: 1 });
    expect(activity(db)).toMatchObject({ arrived: 3, delivered: 2, deferred: 1, bouncedSoft: 2 });
    expect(activity(db).bouncedHard ?? 0).toBe(0);

    // An ignored duplicate suppression adds nothing; retention removing the message takes its
    // recipients off the counters and leaves the statistics.
    const suppress = db.prepare(
      "INSERT OR IGNORE INTO suppressions (address, reason, detail, created_at) VALUES ('a@x.example', 'hard-bounce', '', 0)",
    );
    suppress.run();
    suppress.run();
    expect(counts(db)).toEqual({
      messages: 1,
      suppressions: 1,
      'recipients.bounced': 2,
      'recipients.deferred': 1,
    });
    db.prepare("DELETE FROM events WHERE message_id = 'm2'").run();
    db.prepare("DELETE FROM bounces WHERE message_id = 'm2'").run();
    db.prepare("DELETE FROM messages WHERE id = 'm2'").run();
    expect(counts(db)).toEqual({ suppressions: 1 });
    expect(outcomes(db)).toEqual({ bouncedHard: 1, bouncedSoft: 1, waiting: 1, deferred: 1 });
  });

  it('counts the overage of each billing period and the charges per quarter hour', () => {
    const db = oldStore();
    const entry = db.prepare('INSERT INTO quota_ledger (at, kind, amount, recipient_id) VALUES (?, ?, ?, ?)');
    entry.run(T, 'grant', 1000, null);
    entry.run(T + HOUR, 'usage', -1, 1);
    entry.run(T + 31 * 24 * HOUR, 'overage', -1, 2);
    migrate(
      db,
      bundledMigrations().filter((m) => m.version === 10),
    );
    entry.run(T + 31 * 24 * HOUR + 60_000, 'overage', -1, 3);
    entry.run(T + 5 * 24 * HOUR, 'overage', -1, 4);
    const period = 30 * 24 * HOUR;
    expect(db.prepare('SELECT period_start, n FROM quota_overage ORDER BY period_start').all()).toEqual([
      { period_start: T, n: 1 },
      { period_start: T + period, n: 2 },
    ]);
    expect(db.prepare('SELECT SUM(used) AS used, SUM(overage) AS overage FROM quota_usage').get()).toEqual({
      used: 1,
      overage: 3,
    });
  });
});
