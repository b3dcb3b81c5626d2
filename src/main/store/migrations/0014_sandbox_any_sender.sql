-- Issue 15: a sandbox connection may accept mail from any From address (captured unsigned, never
-- delivered unless released). Off for every existing connection, so their intake is unchanged;
-- the CHECK keeps a live connection from ever carrying it.
ALTER TABLE connections ADD COLUMN accepts_any_sender INTEGER NOT NULL DEFAULT 0
  CHECK (accepts_any_sender = 0 OR mode = 'sandbox');
