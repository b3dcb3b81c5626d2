-- Reports received by the bounce listener, kept raw (the mail itself is a file in spool/reports/).
CREATE TABLE bounce_reports (
  id           TEXT PRIMARY KEY,
  received_at  INTEGER NOT NULL,
  kind         TEXT NOT NULL,
  verp_message TEXT,
  client       TEXT NOT NULL,
  size         INTEGER NOT NULL
);

-- One row per bounced / complaining / auto-replying recipient: synchronous (from a delivery
-- reply) or asynchronous (from a report).
CREATE TABLE bounces (
  id            INTEGER PRIMARY KEY,
  at            INTEGER NOT NULL,
  message_id    TEXT,
  recipient_id  INTEGER,
  recipient     TEXT NOT NULL,
  origin        TEXT NOT NULL CHECK (origin IN ('sync', 'async')),
  kind          TEXT NOT NULL,
  reason        TEXT NOT NULL,
  hard          INTEGER,
  status        TEXT NOT NULL,
  reply_code    TEXT NOT NULL,
  diagnostic    TEXT NOT NULL,
  remote_mta    TEXT NOT NULL,
  explanation   TEXT NOT NULL,
  report_id     TEXT REFERENCES bounce_reports(id) ON DELETE SET NULL
);
CREATE INDEX bounces_by_time ON bounces (at);
CREATE INDEX bounces_by_message ON bounces (message_id);
CREATE INDEX bounces_by_reason ON bounces (reason, at);

-- Addresses Relaydesk refuses to send to, and why.
CREATE TABLE suppressions (
  address      TEXT PRIMARY KEY,
  reason       TEXT NOT NULL CHECK (reason IN ('hard-bounce', 'complaint', 'manual')),
  detail       TEXT NOT NULL,
  message_id   TEXT,
  created_at   INTEGER NOT NULL
);
CREATE INDEX suppressions_by_time ON suppressions (created_at);
