-- Leases carry an id: an outcome is written only by the holder of the recipient's current lease.
ALTER TABLE recipients ADD COLUMN lease_id INTEGER;

-- Lanes: due work per recipient domain, only over waiting rows (small, whatever the store's size).
CREATE INDEX recipients_waiting ON recipients (domain, next_attempt_at) WHERE status IN ('queued', 'deferred');
-- Leases that may have run out.
CREATE INDEX recipients_leased ON recipients (lease_until) WHERE status = 'sending';

-- Charges follow from committed outcomes: written in the outcome's transaction, booked after it
-- (idempotently, by recipient), so a billing error can never undo a delivery.
CREATE TABLE charge_outbox (
  recipient_id  INTEGER PRIMARY KEY,
  connection_id TEXT NOT NULL,
  at            INTEGER NOT NULL
);

-- A report received twice (byte for byte, for the same message) is applied once.
ALTER TABLE bounce_reports ADD COLUMN sha256 TEXT;
CREATE UNIQUE INDEX bounce_reports_once ON bounce_reports (verp_message, sha256) WHERE sha256 IS NOT NULL;
