-- The activity log (issue 15): every SMTP command or session the relay refused. Bounded by
-- activity.maxEntries (ids are contiguous, so the oldest are those below the newest id less the
-- cap) and by activity.retentionDays (the hourly cleanup). Not tied to messages: a refused mail
-- never got a row there.
CREATE TABLE activity_log (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  at              INTEGER NOT NULL,
  client_address  TEXT NOT NULL,
  connection_id   TEXT,
  connection_name TEXT,
  username        TEXT,
  command         TEXT NOT NULL,
  reply           TEXT NOT NULL,
  category        TEXT NOT NULL,
  rejected_mail   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX activity_log_at ON activity_log (at);
CREATE INDEX activity_log_category ON activity_log (category, id);
CREATE INDEX activity_log_connection ON activity_log (connection_id, id);
CREATE INDEX activity_log_client ON activity_log (client_address, id);
CREATE INDEX activity_log_rejected ON activity_log (rejected_mail, id) WHERE rejected_mail = 1;
