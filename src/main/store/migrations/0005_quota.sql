-- Quota: the demo grant and booked blocks, with what each has used.
CREATE TABLE quota_blocks (
  id            TEXT PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('demo', 'block')),
  size          INTEGER NOT NULL,
  used          INTEGER NOT NULL DEFAULT 0,
  price_micros  INTEGER NOT NULL,
  booked_at     INTEGER NOT NULL,
  valid_from    INTEGER NOT NULL,
  valid_until   INTEGER,
  auto_renew    INTEGER NOT NULL DEFAULT 0,
  renewed_from  TEXT,
  state         TEXT NOT NULL CHECK (state IN ('active', 'expired')),
  expired       INTEGER NOT NULL DEFAULT 0
);

-- Append-only ledger. Usage is one row per sent recipient (unique, so a retry never bills twice),
-- charged to a block or, past zero, to overage at the price of that moment.
CREATE TABLE quota_ledger (
  id             INTEGER PRIMARY KEY,
  at             INTEGER NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('grant', 'booking', 'usage', 'overage', 'expiry')),
  amount         INTEGER NOT NULL,
  block_id       TEXT,
  recipient_id   INTEGER,
  connection_id  TEXT,
  price_micros   INTEGER NOT NULL DEFAULT 0,
  note           TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX quota_ledger_one_charge ON quota_ledger (recipient_id) WHERE recipient_id IS NOT NULL;
CREATE INDEX quota_ledger_by_time ON quota_ledger (at);

-- Small pieces of engine state that must survive a restart (e.g. whether the low-quota alert fired).
CREATE TABLE engine_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
