-- The signed mail of messages small enough to be received in memory (most transactional mail,
-- up to 256 KiB of body): kept in the store and written in the transaction that records the
-- message, so one fsync makes both durable. Larger mail stays a spool file.
CREATE TABLE message_bodies (
  message_id TEXT PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  content    BLOB NOT NULL
);
