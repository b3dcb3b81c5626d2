-- migration: foreign keys off
-- Issue 12 (finding 6): ids and keys.

-- Recipient ids never repeat. With a plain INTEGER PRIMARY KEY SQLite hands out max(id) + 1, so
-- once retention deleted the newest recipients their ids came back, and the quota ledger (one
-- charge per recipient id) silently skipped charging the new mail that got them; VERP return
-- paths and bounce rows name recipient ids too. AUTOINCREMENT keeps the highest id ever used in
-- sqlite_sequence and never goes below it. SQLite cannot add it to a table, so the table is rebuilt
-- (new table, copy, drop, rename; foreign keys off around it, so attempts keep their rows, and
-- checked before commit), with the same columns in the same order and every index it had.
CREATE TABLE recipients_rebuilt (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id      TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  address         TEXT NOT NULL,
  domain          TEXT NOT NULL,
  status          TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  updated_at      INTEGER NOT NULL,
  next_attempt_at INTEGER,
  lease_until     INTEGER,
  last_reply      TEXT NOT NULL DEFAULT ''
);
INSERT INTO recipients_rebuilt (id, message_id, address, domain, status, attempts, updated_at,
                                next_attempt_at, lease_until, last_reply)
  SELECT id, message_id, address, domain, status, attempts, updated_at, next_attempt_at, lease_until, last_reply
  FROM recipients ORDER BY id;
DROP TABLE recipients;
-- The statistics trigger on events names recipients; a modern rename checks every trigger and
-- would fail on that name while the table is missing. The legacy rename leaves triggers as written.
PRAGMA legacy_alter_table = ON;
ALTER TABLE recipients_rebuilt RENAME TO recipients;
PRAGMA legacy_alter_table = OFF;

CREATE INDEX recipients_by_message ON recipients (message_id);
CREATE INDEX recipients_by_status ON recipients (status, message_id);
CREATE INDEX recipients_due ON recipients (status, next_attempt_at);
CREATE INDEX recipients_by_domain ON recipients (domain, status);
CREATE INDEX recipients_by_address ON recipients (address COLLATE NOCASE);

-- Ids retention already gave back are known only to the rows that still name them: the ledger
-- (never deleted), bounces and attempts. New ids start above all of them.
DELETE FROM sqlite_sequence WHERE name = 'recipients';
INSERT INTO sqlite_sequence (name, seq) SELECT 'recipients', max(
  COALESCE((SELECT max(id) FROM recipients), 0),
  COALESCE((SELECT max(recipient_id) FROM quota_ledger WHERE recipient_id IS NOT NULL), 0),
  COALESCE((SELECT max(recipient_id) FROM bounces), 0),
  COALESCE((SELECT max(recipient_id) FROM attempts), 0)
);

-- Which DKIM keys signed a mail (a JSON array of dkim_keys ids), so a key is not deleted while
-- waiting mail carries its signature. NULL for mail from before this version: the key check then
-- reads the s= and d= tags of the DKIM-Signature fields in its stored header.
ALTER TABLE messages ADD COLUMN dkim_key_ids TEXT;
