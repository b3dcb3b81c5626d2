-- Issue 7 (1,000,000 messages): indexes that let message search find a page without reading the
-- whole store. See MessagesRepo.search and message-search.ts for the queries they serve.

-- Status filter. With only (status) and (status, next_attempt_at), "does this message have a
-- recipient in status X" read every recipient in X, for every message looked at. With the message
-- id second, it is one lookup; and a rare status lists its messages straight from this index.
DROP INDEX recipients_by_status;
CREATE INDEX recipients_by_status ON recipients (status, message_id);

-- Message id in the time-ordered indexes: the newest-first order (accepted_at, id) comes straight from
-- the index, and checks that need only the id (status, a listed rare status) skip the table row.
DROP INDEX messages_by_time;
CREATE INDEX messages_by_time ON messages (accepted_at, id);
DROP INDEX messages_by_connection;
CREATE INDEX messages_by_connection ON messages (connection_id, accepted_at, id);
DROP INDEX messages_by_domain;
CREATE INDEX messages_by_domain ON messages (sending_domain, accepted_at, id);

-- Recipient filter: it compares case-insensitively, which a BINARY index cannot serve.
DROP INDEX recipients_by_address;
CREATE INDEX recipients_by_address ON recipients (address COLLATE NOCASE);

-- Sender filter: the envelope sender or the From: address, exactly and case-insensitively, each
-- walked newest first from its own index. The From: address is the part in <…> when there is one.
DROP INDEX messages_by_sender;
CREATE INDEX messages_by_sender ON messages (lower(mail_from), accepted_at, id);
ALTER TABLE messages ADD COLUMN from_address TEXT GENERATED ALWAYS AS (
  lower(trim(CASE WHEN instr(header_from, '<') > 0
                  THEN rtrim(substr(header_from, instr(header_from, '<') + 1), '> ')
                  ELSE header_from END))
) VIRTUAL;
CREATE INDEX messages_by_from_address ON messages (from_address, accepted_at, id);
