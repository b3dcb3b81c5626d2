-- Webhook endpoints of a connection: where its delivery events are POSTed, signed with the secret.
CREATE TABLE webhook_endpoints (
  id                TEXT PRIMARY KEY,
  connection_id     TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
  url               TEXT NOT NULL,
  enabled           INTEGER NOT NULL DEFAULT 1,
  -- Subscribed event types with a comma on each side: ',delivered,bounced,'.
  event_types       TEXT NOT NULL,
  -- Sealed (enc:<scheme>:…, config/secret-box.ts): it must be usable to sign, so not a hash.
  secret            TEXT NOT NULL,
  created_at        INTEGER NOT NULL,
  secret_rotated_at INTEGER NOT NULL
);
CREATE INDEX webhook_endpoints_by_connection ON webhook_endpoints (connection_id, created_at);

-- The outbox: one row per event and endpoint, written by the trigger below inside the transaction
-- that changed the recipient's status, so a crash can never lose an event. Sent at least once;
-- event_id is stable across retries (receivers dedupe on it).
CREATE TABLE webhook_outbox (
  id              INTEGER PRIMARY KEY,
  event_id        TEXT NOT NULL,
  endpoint_id     TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
  type            TEXT NOT NULL,
  occurred_at     INTEGER NOT NULL,
  message_id      TEXT,
  recipient_id    INTEGER,
  recipient       TEXT NOT NULL DEFAULT '',
  -- The recipient's last reply and attempts at the time of the change (a deferral's reply, not a later one's).
  reply           TEXT NOT NULL DEFAULT '',
  attempts        INTEGER NOT NULL DEFAULT 0,
  -- The JSON body, fixed at the first attempt so every retry sends the same bytes.
  payload         TEXT,
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  tries           INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX webhook_outbox_once ON webhook_outbox (endpoint_id, event_id);
-- One final event per recipient and endpoint (deferred may repeat).
CREATE UNIQUE INDEX webhook_outbox_final ON webhook_outbox (endpoint_id, recipient_id, type)
  WHERE type IN ('delivered', 'bounced', 'expired', 'complained');
CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_outbox_by_endpoint ON webhook_outbox (endpoint_id, state);

-- The delivery history: every POST, bounded per endpoint (notify/webhook-dispatcher.ts prunes it).
CREATE TABLE webhook_attempts (
  id          INTEGER PRIMARY KEY,
  endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
  event_id    TEXT NOT NULL,
  type        TEXT NOT NULL,
  at          INTEGER NOT NULL,
  status_code INTEGER,
  error       TEXT NOT NULL DEFAULT '',
  duration_ms INTEGER NOT NULL,
  outcome     TEXT NOT NULL CHECK (outcome IN ('delivered', 'retrying', 'failed', 'test'))
);
CREATE INDEX webhook_attempts_by_endpoint ON webhook_attempts (endpoint_id, id);

-- Every status change appends an events row (store/queue-repo.ts `transition`), so this is the one
-- place that sees them all, in their transaction. The recipient row was updated just before its
-- event in the same transaction: its status is the event's type.
CREATE TRIGGER webhook_outbox_from_events AFTER INSERT ON events
WHEN NEW.type IN ('delivered', 'deferred', 'bounced', 'expired', 'complained') AND NEW.connection_id IS NOT NULL
BEGIN
  INSERT OR IGNORE INTO webhook_outbox
    (event_id, endpoint_id, type, occurred_at, message_id, recipient_id, recipient, reply, attempts, next_attempt_at)
  SELECT 'evt_' || NEW.message_id || '_' || NEW.id, w.id, NEW.type, NEW.at, NEW.message_id,
    (SELECT r.id FROM recipients r WHERE r.message_id = NEW.message_id AND r.address = NEW.recipient
       AND r.status = NEW.type ORDER BY r.id LIMIT 1),
    COALESCE(NEW.recipient, ''),
    COALESCE((SELECT r.last_reply FROM recipients r WHERE r.message_id = NEW.message_id
       AND r.address = NEW.recipient AND r.status = NEW.type ORDER BY r.id LIMIT 1), ''),
    COALESCE((SELECT r.attempts FROM recipients r WHERE r.message_id = NEW.message_id
       AND r.address = NEW.recipient AND r.status = NEW.type ORDER BY r.id LIMIT 1), 0),
    NEW.at
  FROM webhook_endpoints w
  WHERE w.connection_id = NEW.connection_id AND w.enabled = 1
    AND instr(w.event_types, ',' || NEW.type || ',') > 0;
END;
