-- Issue 7: statistics roll-ups, search indexes, full-text search, retention.

-- The sending domain (the From: domain the mail was signed for), for filters and statistics.
ALTER TABLE messages ADD COLUMN sending_domain TEXT NOT NULL DEFAULT '';
-- 1 once retention removed the spool file: metadata stays, the body is gone.
ALTER TABLE messages ADD COLUMN body_purged INTEGER NOT NULL DEFAULT 0;
UPDATE messages SET sending_domain = lower(rtrim(substr(header_from, instr(header_from, '@') + 1), '> '))
  WHERE instr(header_from, '@') > 0;

CREATE INDEX messages_by_domain ON messages (sending_domain, accepted_at);
CREATE INDEX messages_by_header_id ON messages (message_id);
CREATE INDEX messages_by_sender ON messages (mail_from, accepted_at);
CREATE INDEX recipients_by_address ON recipients (address);
CREATE INDEX events_by_time ON events (at);
CREATE INDEX attempts_by_recipient ON attempts (recipient_id);

-- Full-text index of subject, senders and recipients; rowid = messages.rowid. Contentless: the
-- text lives in messages/recipients, the index only finds rows.
CREATE VIRTUAL TABLE messages_fts USING fts5 (
  subject, sender, recipients,
  content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO messages_fts (rowid, subject, sender, recipients)
  SELECT m.rowid, m.subject, m.header_from || ' ' || m.mail_from,
         (SELECT group_concat(address, ' ') FROM recipients r WHERE r.message_id = m.id)
  FROM messages m;

-- Roll-ups: one counter per bucket (size in ms: minute, hour, day), connection, sending domain and
-- metric. Kept by the triggers below in the same transaction as the event they count, so they
-- always equal what the event log says, and survive when retention deletes old rows.
CREATE TABLE stats (
  size          INTEGER NOT NULL,
  bucket        INTEGER NOT NULL,
  connection_id TEXT NOT NULL,
  domain        TEXT NOT NULL,
  metric        TEXT NOT NULL,
  n             INTEGER NOT NULL,
  PRIMARY KEY (size, bucket, connection_id, domain, metric)
) WITHOUT ROWID;

CREATE TABLE stat_sizes (size INTEGER PRIMARY KEY);
INSERT INTO stat_sizes (size) VALUES (60000), (3600000), (86400000);

-- arrived (per recipient), delivered, deferred, expired, rejected (at intake): from the event log.
CREATE TRIGGER stats_from_events AFTER INSERT ON events
WHEN NEW.type IN ('accepted', 'delivered', 'deferred', 'expired', 'rejected')
BEGIN
  INSERT INTO stats (size, bucket, connection_id, domain, metric, n)
  SELECT s.size, NEW.at - NEW.at % s.size, COALESCE(NEW.connection_id, ''),
         COALESCE((SELECT sending_domain FROM messages WHERE id = NEW.message_id), ''),
         CASE NEW.type WHEN 'accepted' THEN 'arrived' ELSE NEW.type END,
         CASE NEW.type WHEN 'accepted' THEN (SELECT COUNT(*) FROM recipients WHERE message_id = NEW.message_id) ELSE 1 END
  FROM stat_sizes s WHERE true
  ON CONFLICT (size, bucket, connection_id, domain, metric) DO UPDATE SET n = n + excluded.n;
END;

-- bounced (hard / soft) and complained: one per recorded bounce or complaint.
CREATE TRIGGER stats_from_bounces AFTER INSERT ON bounces
WHEN NEW.kind IN ('bounce', 'complaint')
BEGIN
  INSERT INTO stats (size, bucket, connection_id, domain, metric, n)
  SELECT s.size, NEW.at - NEW.at % s.size,
         COALESCE((SELECT connection_id FROM messages WHERE id = NEW.message_id), ''),
         COALESCE((SELECT sending_domain FROM messages WHERE id = NEW.message_id), ''),
         CASE WHEN NEW.kind = 'complaint' THEN 'complained' WHEN NEW.hard = 0 THEN 'bouncedSoft' ELSE 'bouncedHard' END,
         1
  FROM stat_sizes s WHERE true
  ON CONFLICT (size, bucket, connection_id, domain, metric) DO UPDATE SET n = n + excluded.n;
END;

-- Statistics of what happened before this version: rebuilt once from the event log and bounces.
INSERT INTO stats (size, bucket, connection_id, domain, metric, n)
  SELECT s.size, e.at - e.at % s.size, COALESCE(e.connection_id, ''), COALESCE(m.sending_domain, ''),
         CASE e.type WHEN 'accepted' THEN 'arrived' ELSE e.type END,
         SUM(CASE e.type WHEN 'accepted' THEN (SELECT COUNT(*) FROM recipients r WHERE r.message_id = e.message_id) ELSE 1 END)
  FROM events e CROSS JOIN stat_sizes s LEFT JOIN messages m ON m.id = e.message_id
  WHERE e.type IN ('accepted', 'delivered', 'deferred', 'expired', 'rejected')
  GROUP BY 1, 2, 3, 4, 5;
INSERT INTO stats (size, bucket, connection_id, domain, metric, n)
  SELECT s.size, b.at - b.at % s.size, COALESCE(m.connection_id, ''), COALESCE(m.sending_domain, ''),
         CASE WHEN b.kind = 'complaint' THEN 'complained' WHEN b.hard = 0 THEN 'bouncedSoft' ELSE 'bouncedHard' END,
         COUNT(*)
  FROM bounces b CROSS JOIN stat_sizes s LEFT JOIN messages m ON m.id = b.message_id
  WHERE b.kind IN ('bounce', 'complaint')
  GROUP BY 1, 2, 3, 4, 5;

-- Retention deletes messages; their search entries go with them.
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
BEGIN
  DELETE FROM messages_fts WHERE rowid = OLD.rowid;
END;
