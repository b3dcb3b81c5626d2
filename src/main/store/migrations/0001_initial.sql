-- Connected systems (web shop, CRM, ...). The password is kept only as a salted scrypt hash.
CREATE TABLE connections (
  id                  TEXT PRIMARY KEY,
  name                TEXT NOT NULL,
  username            TEXT NOT NULL UNIQUE,
  password_hash       TEXT NOT NULL,
  enabled             INTEGER NOT NULL DEFAULT 1,
  mode                TEXT NOT NULL CHECK (mode IN ('live', 'sandbox')),
  hourly_limit        INTEGER,
  created_at          INTEGER NOT NULL,
  password_changed_at INTEGER NOT NULL,
  last_activity_at    INTEGER
);

-- One accepted SMTP transaction. The body lives in the spool file named by id.
CREATE TABLE messages (
  id              TEXT PRIMARY KEY,
  connection_id   TEXT REFERENCES connections(id) ON DELETE SET NULL,
  connection_name TEXT NOT NULL,
  mode            TEXT NOT NULL CHECK (mode IN ('live', 'sandbox')),
  accepted_at     INTEGER NOT NULL,
  mail_from       TEXT NOT NULL,
  header_from     TEXT NOT NULL,
  subject         TEXT NOT NULL,
  message_id      TEXT NOT NULL,
  size            INTEGER NOT NULL,
  client_address  TEXT NOT NULL,
  client_helo     TEXT NOT NULL,
  client_tls      TEXT NOT NULL,
  headers_json    TEXT NOT NULL
);
CREATE INDEX messages_by_connection ON messages (connection_id, accepted_at);
CREATE INDEX messages_by_time ON messages (accepted_at);

-- The unit of delivery work: one row per envelope recipient.
CREATE TABLE recipients (
  id          INTEGER PRIMARY KEY,
  message_id  TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  address     TEXT NOT NULL,
  domain      TEXT NOT NULL,
  status      TEXT NOT NULL,
  attempts    INTEGER NOT NULL DEFAULT 0,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX recipients_by_message ON recipients (message_id);
CREATE INDEX recipients_by_status ON recipients (status);

-- Append-only lifecycle log; every status transition adds one row.
CREATE TABLE events (
  id           INTEGER PRIMARY KEY,
  at           INTEGER NOT NULL,
  type         TEXT NOT NULL,
  message_id   TEXT,
  recipient    TEXT,
  connection_id TEXT,
  detail       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_by_message ON events (message_id);

CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value_json TEXT NOT NULL
);
