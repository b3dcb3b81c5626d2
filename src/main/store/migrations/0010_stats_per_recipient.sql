-- Issue 12: statistics that count each recipient once, and counts for the status that cost O(1).
--
-- Everything below is kept by triggers on what changes, whoever writes it: a recipient row being
-- inserted, changing status or being deleted, an event row, a bounce row, a ledger row. So no
-- code path (intake, delivery, the bounce recorder, operator controls, a future one) can forget
-- to count, and nothing ever scans the store to count.

-- 1. Activity (table `stats`, migration 0006): what happened per minute, hour and day, for the
--    charts. Now each recipient counts once per kind of happening: its first delivery, its first
--    deferral (not every attempt), its expiry, its first bounce and its first complaint row; a
--    report received twice, or a bounce report for a recipient already refused, adds nothing.
--    Arrived is counted from the recipient rows themselves (at their message's acceptance).
DROP TRIGGER stats_from_events;
CREATE TRIGGER stats_from_events AFTER INSERT ON events
WHEN NEW.type = 'rejected'
  OR (NEW.type IN ('delivered', 'deferred', 'expired')
      AND NOT EXISTS (SELECT 1 FROM events e
                      WHERE e.message_id = NEW.message_id AND e.recipient IS NEW.recipient
                        AND e.type = NEW.type AND e.id < NEW.id))
BEGIN
  INSERT INTO stats (size, bucket, connection_id, domain, metric, n)
  SELECT s.size, NEW.at - NEW.at % s.size, COALESCE(NEW.connection_id, ''),
         COALESCE((SELECT sending_domain FROM messages WHERE id = NEW.message_id), ''), NEW.type, 1
  FROM stat_sizes s WHERE true
  ON CONFLICT (size, bucket, connection_id, domain, metric) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER stats_arrived AFTER INSERT ON recipients
BEGIN
  INSERT INTO stats (size, bucket, connection_id, domain, metric, n)
  SELECT s.size, m.accepted_at - m.accepted_at % s.size, COALESCE(m.connection_id, ''), m.sending_domain,
         'arrived', 1
  FROM messages m CROSS JOIN stat_sizes s WHERE m.id = NEW.message_id
  ON CONFLICT (size, bucket, connection_id, domain, metric) DO UPDATE SET n = n + excluded.n;
END;

DROP TRIGGER stats_from_bounces;
CREATE TRIGGER stats_from_bounces AFTER INSERT ON bounces
WHEN NEW.kind IN ('bounce', 'complaint')
  AND NOT EXISTS (SELECT 1 FROM bounces b
                  WHERE b.message_id IS NEW.message_id AND b.recipient = NEW.recipient
                    AND b.kind = NEW.kind AND b.id < NEW.id)
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

-- The activity counted so far, corrected where the log still shows the repeats: every deferral
-- after a recipient's first, every delivery or expiry after its first, every bounce or complaint
-- row after the first for that recipient and kind comes off its bucket. (Buckets whose rows
-- retention already removed keep their old counts: the repeats are no longer known.)
CREATE TEMP TABLE stats_repeats AS
  SELECT e.at AS at, COALESCE(e.connection_id, '') AS connection_id, COALESCE(m.sending_domain, '') AS domain,
         e.type AS metric
  FROM events e LEFT JOIN messages m ON m.id = e.message_id
  WHERE e.type IN ('delivered', 'deferred', 'expired')
    AND EXISTS (SELECT 1 FROM events f WHERE f.message_id = e.message_id AND f.recipient IS e.recipient
                  AND f.type = e.type AND f.id < e.id)
  UNION ALL
  SELECT b.at, COALESCE(m.connection_id, ''), COALESCE(m.sending_domain, ''),
         CASE WHEN b.kind = 'complaint' THEN 'complained' WHEN b.hard = 0 THEN 'bouncedSoft' ELSE 'bouncedHard' END
  FROM bounces b LEFT JOIN messages m ON m.id = b.message_id
  WHERE b.kind IN ('bounce', 'complaint')
    AND EXISTS (SELECT 1 FROM bounces c WHERE c.message_id IS b.message_id AND c.recipient = b.recipient
                  AND c.kind = b.kind AND c.id < b.id);
INSERT INTO stats (size, bucket, connection_id, domain, metric, n)
  SELECT s.size, r.at - r.at % s.size, r.connection_id, r.domain, r.metric, -COUNT(*)
  FROM stats_repeats r CROSS JOIN stat_sizes s
  GROUP BY 1, 2, 3, 4, 5
  ON CONFLICT (size, bucket, connection_id, domain, metric) DO UPDATE SET n = n + excluded.n;
-- Minute and hour buckets already pruned would come back negative: drop them (and empty ones).
DELETE FROM stats WHERE n <= 0;
DROP TABLE stats_repeats;

-- 2. Outcomes: each recipient once, in its current state, in the buckets (minute, hour, day) of
--    its message's acceptance, per connection and sending domain. A status change moves it from
--    one metric to another; the rates come from here. States: waiting (queued, sending, deferred),
--    delivered, bouncedHard / bouncedSoft (by the recipient's latest bounce row; hard when it has
--    none yet), expired, complained, suppressed, captured, cancelled. Their sum is the arrived
--    recipients. `deferred` is not a state but a mark: recipients deferred at least once.
--    Deleting a message (retention) leaves its counts: statistics outlive the mail.
CREATE TABLE outcomes (
  size          INTEGER NOT NULL,
  bucket        INTEGER NOT NULL,
  connection_id TEXT NOT NULL,
  domain        TEXT NOT NULL,
  metric        TEXT NOT NULL,
  n             INTEGER NOT NULL,
  PRIMARY KEY (size, bucket, connection_id, domain, metric)
) WITHOUT ROWID;

CREATE TRIGGER outcomes_arrived AFTER INSERT ON recipients
BEGIN
  INSERT INTO outcomes (size, bucket, connection_id, domain, metric, n)
  SELECT s.size, m.accepted_at - m.accepted_at % s.size, COALESCE(m.connection_id, ''), m.sending_domain,
         CASE WHEN NEW.status IN ('queued', 'sending', 'deferred') THEN 'waiting'
              WHEN NEW.status = 'bounced' THEN 'bouncedHard'
              ELSE NEW.status END,
         1
  FROM messages m CROSS JOIN stat_sizes s WHERE m.id = NEW.message_id
  ON CONFLICT (size, bucket, connection_id, domain, metric) DO UPDATE SET n = n + excluded.n;
END;

-- A status change between two waiting states moves nothing.
CREATE TRIGGER outcomes_moved AFTER UPDATE OF status ON recipients
WHEN OLD.status IS NOT NEW.status
  AND NOT (OLD.status IN ('queued', 'sending', 'deferred') AND NEW.status IN ('queued', 'sending', 'deferred'))
BEGIN
  INSERT INTO outcomes (size, bucket, connection_id, domain, metric, n)
  SELECT s.size, m.accepted_at - m.accepted_at % s.size, COALESCE(m.connection_id, ''), m.sending_domain,
         x.metric, x.n
  FROM messages m CROSS JOIN stat_sizes s CROSS JOIN (
    SELECT CASE WHEN x.status IN ('queued', 'sending', 'deferred') THEN 'waiting'
                WHEN x.status = 'bounced' THEN COALESCE(
                  (SELECT CASE WHEN b.hard = 0 THEN 'bouncedSoft' ELSE 'bouncedHard' END FROM bounces b
                   WHERE b.message_id = NEW.message_id AND b.recipient_id = NEW.id AND b.kind = 'bounce'
                   ORDER BY b.id DESC LIMIT 1),
                  'bouncedHard')
                ELSE x.status END AS metric,
           x.n AS n
    FROM (SELECT OLD.status AS status, -1 AS n UNION ALL SELECT NEW.status, 1) x
  ) x
  WHERE m.id = NEW.message_id
  ON CONFLICT (size, bucket, connection_id, domain, metric) DO UPDATE SET n = n + excluded.n;
END;

-- A bounce row for a recipient already bounced that changes hard ↔ soft moves it (its status
-- may have been written before or after the row: both orders end in the same place).
CREATE TRIGGER outcomes_bounce_kind AFTER INSERT ON bounces
WHEN NEW.kind = 'bounce' AND NEW.recipient_id IS NOT NULL
BEGIN
  INSERT INTO outcomes (size, bucket, connection_id, domain, metric, n)
  SELECT s.size, m.accepted_at - m.accepted_at % s.size, COALESCE(m.connection_id, ''), m.sending_domain,
         x.metric, x.n
  FROM messages m CROSS JOIN stat_sizes s CROSS JOIN (
    SELECT COALESCE(
             (SELECT CASE WHEN b.hard = 0 THEN 'bouncedSoft' ELSE 'bouncedHard' END FROM bounces b
              WHERE b.message_id = NEW.message_id AND b.recipient_id = NEW.recipient_id AND b.kind = 'bounce'
                AND b.id < NEW.id
              ORDER BY b.id DESC LIMIT 1),
             'bouncedHard') AS metric,
           -1 AS n
    UNION ALL
    SELECT CASE WHEN NEW.hard = 0 THEN 'bouncedSoft' ELSE 'bouncedHard' END, 1
  ) x
  WHERE m.id = NEW.message_id
    AND (SELECT status FROM recipients WHERE id = NEW.recipient_id AND message_id = NEW.message_id) = 'bounced'
  ON CONFLICT (size, bucket, connection_id, domain, metric) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER outcomes_deferred AFTER INSERT ON events
WHEN NEW.type = 'deferred'
  AND NOT EXISTS (SELECT 1 FROM events e
                  WHERE e.message_id = NEW.message_id AND e.recipient IS NEW.recipient
                    AND e.type = 'deferred' AND e.id < NEW.id)
BEGIN
  INSERT INTO outcomes (size, bucket, connection_id, domain, metric, n)
  SELECT s.size, m.accepted_at - m.accepted_at % s.size, COALESCE(m.connection_id, ''), m.sending_domain,
         'deferred', 1
  FROM messages m CROSS JOIN stat_sizes s WHERE m.id = NEW.message_id
  ON CONFLICT (size, bucket, connection_id, domain, metric) DO UPDATE SET n = n + excluded.n;
END;

-- Outcomes of the mail the store holds now (mail retention removed before this version is not
-- in them: for it, only the activity above remains).
CREATE TEMP TABLE outcome_rows AS
  SELECT m.accepted_at AS at, COALESCE(m.connection_id, '') AS connection_id, m.sending_domain AS domain,
         CASE WHEN r.status IN ('queued', 'sending', 'deferred') THEN 'waiting'
              WHEN r.status = 'bounced' THEN COALESCE(
                (SELECT CASE WHEN b.hard = 0 THEN 'bouncedSoft' ELSE 'bouncedHard' END FROM bounces b
                 WHERE b.message_id = r.message_id AND b.recipient_id = r.id AND b.kind = 'bounce'
                 ORDER BY b.id DESC LIMIT 1),
                'bouncedHard')
              ELSE r.status END AS metric
  FROM recipients r JOIN messages m ON m.id = r.message_id
  UNION ALL
  SELECT m.accepted_at, COALESCE(m.connection_id, ''), m.sending_domain, 'deferred'
  FROM (SELECT DISTINCT message_id, recipient FROM events WHERE type = 'deferred') d
  JOIN messages m ON m.id = d.message_id;
INSERT INTO outcomes (size, bucket, connection_id, domain, metric, n)
  SELECT s.size, o.at - o.at % s.size, o.connection_id, o.domain, o.metric, COUNT(*)
  FROM outcome_rows o CROSS JOIN stat_sizes s
  GROUP BY 1, 2, 3, 4, 5;
DROP TABLE outcome_rows;

-- 3. Counts for the status (status.get, the status bar, the tray): messages, suppressions and
--    recipients by status, as they are in the store now (retention's deletions come off).
CREATE TABLE store_counts (
  name TEXT PRIMARY KEY,
  n    INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO store_counts (name, n) SELECT 'messages', COUNT(*) FROM messages;
INSERT INTO store_counts (name, n) SELECT 'suppressions', COUNT(*) FROM suppressions;
INSERT INTO store_counts (name, n) SELECT 'recipients.' || status, COUNT(*) FROM recipients GROUP BY status;

CREATE TRIGGER store_counts_message_added AFTER INSERT ON messages
BEGIN
  UPDATE store_counts SET n = n + 1 WHERE name = 'messages';
END;
CREATE TRIGGER store_counts_message_removed AFTER DELETE ON messages
BEGIN
  UPDATE store_counts SET n = n - 1 WHERE name = 'messages';
END;
CREATE TRIGGER store_counts_suppression_added AFTER INSERT ON suppressions
BEGIN
  UPDATE store_counts SET n = n + 1 WHERE name = 'suppressions';
END;
CREATE TRIGGER store_counts_suppression_removed AFTER DELETE ON suppressions
BEGIN
  UPDATE store_counts SET n = n - 1 WHERE name = 'suppressions';
END;
CREATE TRIGGER store_counts_recipient_added AFTER INSERT ON recipients
BEGIN
  INSERT INTO store_counts (name, n) VALUES ('recipients.' || NEW.status, 1)
  ON CONFLICT (name) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER store_counts_recipient_moved AFTER UPDATE OF status ON recipients
WHEN OLD.status IS NOT NEW.status
BEGIN
  UPDATE store_counts SET n = n - 1 WHERE name = 'recipients.' || OLD.status;
  INSERT INTO store_counts (name, n) VALUES ('recipients.' || NEW.status, 1)
  ON CONFLICT (name) DO UPDATE SET n = n + 1;
END;
-- Also when retention deletes a message and its recipients go with it (ON DELETE CASCADE).
CREATE TRIGGER store_counts_recipient_removed AFTER DELETE ON recipients
BEGIN
  UPDATE store_counts SET n = n - 1 WHERE name = 'recipients.' || OLD.status;
END;

-- 4. Overage per billing period, for the balance in the status: counting the period's ledger rows
--    read every charge of the last 30 days (one row per sent recipient). Periods are 30 days from
--    the first grant (QuotaLedger.period).
-- The first grant (the periods' epoch) straight from an index of the grants, a handful of rows.
CREATE INDEX quota_ledger_grants ON quota_ledger (at) WHERE kind = 'grant';
CREATE TABLE quota_overage (
  period_start INTEGER PRIMARY KEY,
  n            INTEGER NOT NULL
);
CREATE TRIGGER quota_overage_charged AFTER INSERT ON quota_ledger
WHEN NEW.kind = 'overage'
BEGIN
  INSERT INTO quota_overage (period_start, n)
  SELECT g.epoch + MAX(0, (NEW.at - g.epoch) / 2592000000) * 2592000000, 1
  FROM (SELECT COALESCE(MIN(at), NEW.at) AS epoch FROM quota_ledger WHERE kind = 'grant') g WHERE true
  ON CONFLICT (period_start) DO UPDATE SET n = n + 1;
END;
INSERT INTO quota_overage (period_start, n)
  SELECT g.epoch + MAX(0, (l.at - g.epoch) / 2592000000) * 2592000000, COUNT(*)
  FROM quota_ledger l CROSS JOIN (SELECT MIN(at) AS epoch FROM quota_ledger WHERE kind = 'grant') g
  WHERE l.kind = 'overage' AND g.epoch IS NOT NULL
  GROUP BY 1;

-- Charges per quarter hour (used from quota, overage), for the quota page's daily usage in any
-- time zone (offsets are whole quarter hours) without reading a ledger row per sent recipient.
CREATE TABLE quota_usage (
  bucket  INTEGER PRIMARY KEY,
  used    INTEGER NOT NULL,
  overage INTEGER NOT NULL
);
CREATE TRIGGER quota_usage_charged AFTER INSERT ON quota_ledger
WHEN NEW.kind IN ('usage', 'overage')
BEGIN
  INSERT INTO quota_usage (bucket, used, overage)
  VALUES (NEW.at - NEW.at % 900000, NEW.kind = 'usage', NEW.kind = 'overage')
  ON CONFLICT (bucket) DO UPDATE SET used = used + excluded.used, overage = overage + excluded.overage;
END;
INSERT INTO quota_usage (bucket, used, overage)
  SELECT at - at % 900000, SUM(kind = 'usage'), SUM(kind = 'overage')
  FROM quota_ledger WHERE kind IN ('usage', 'overage')
  GROUP BY 1;
