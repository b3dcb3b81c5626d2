-- Delivery work per recipient: when it is next due, who holds it, what the server said last.
ALTER TABLE recipients ADD COLUMN next_attempt_at INTEGER;
ALTER TABLE recipients ADD COLUMN lease_until INTEGER;
ALTER TABLE recipients ADD COLUMN last_reply TEXT NOT NULL DEFAULT '';
UPDATE recipients SET next_attempt_at = updated_at WHERE status IN ('queued', 'deferred');
CREATE INDEX recipients_due ON recipients (status, next_attempt_at);
CREATE INDEX recipients_by_domain ON recipients (domain, status);

-- Append-only log of delivery attempts.
CREATE TABLE attempts (
  id              INTEGER PRIMARY KEY,
  recipient_id    INTEGER NOT NULL REFERENCES recipients(id) ON DELETE CASCADE,
  message_id      TEXT NOT NULL,
  at              INTEGER NOT NULL,
  route           TEXT NOT NULL,
  host            TEXT NOT NULL,
  ip              TEXT NOT NULL,
  port            INTEGER NOT NULL,
  tls             TEXT NOT NULL,
  reply_code      INTEGER,
  enhanced_status TEXT NOT NULL,
  reply           TEXT NOT NULL,
  duration_ms     INTEGER NOT NULL,
  outcome         TEXT NOT NULL
);
CREATE INDEX attempts_by_message ON attempts (message_id);

-- Paused recipient domains; '*' pauses all delivery.
CREATE TABLE paused_destinations (
  domain    TEXT PRIMARY KEY,
  paused_at INTEGER NOT NULL
);
