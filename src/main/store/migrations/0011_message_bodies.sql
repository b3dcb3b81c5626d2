-- Where the signed mail of a message is kept (issue 13). A body received in memory (up to 256 KiB,
-- most transactional mail) is kept whole in `content`, written in the transaction that records the
-- message, so one fsync makes both durable. For a larger one `content` is the signed header
-- section and `body_file` is 1: the body stays the file it was received into, moved to
-- spool/<prefix>/<id>.body, never copied. Mail from before this table is a spool/<prefix>/<id>.eml file.
CREATE TABLE message_bodies (
  message_id TEXT PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  content    BLOB NOT NULL,
  body_file  INTEGER NOT NULL DEFAULT 0
);
