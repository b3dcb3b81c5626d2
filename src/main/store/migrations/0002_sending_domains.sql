-- Domains shops may send from, with their List-Help value and last DNS check.
CREATE TABLE sending_domains (
  id             TEXT PRIMARY KEY,
  domain         TEXT NOT NULL UNIQUE,
  list_help      TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  dns_check_json TEXT
);

-- DKIM keys. The private key is a 0600 file in <data-dir>/dkim/<id>.pem, never in this table.
CREATE TABLE dkim_keys (
  id          TEXT PRIMARY KEY,
  domain_id   TEXT NOT NULL REFERENCES sending_domains(id) ON DELETE CASCADE,
  selector    TEXT NOT NULL,
  algorithm   TEXT NOT NULL CHECK (algorithm IN ('rsa-sha256', 'ed25519-sha256')),
  bits        INTEGER NOT NULL,
  public_key  TEXT NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('active', 'standby')),
  source      TEXT NOT NULL CHECK (source IN ('generated', 'imported')),
  created_at  INTEGER NOT NULL,
  UNIQUE (domain_id, selector)
);
-- At most one active key per domain and algorithm.
CREATE UNIQUE INDEX dkim_keys_one_active ON dkim_keys (domain_id, algorithm) WHERE state = 'active';

-- Which connection may send from which domain.
CREATE TABLE connection_domains (
  connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
  domain_id     TEXT NOT NULL REFERENCES sending_domains(id) ON DELETE CASCADE,
  PRIMARY KEY (connection_id, domain_id)
);
CREATE INDEX connection_domains_by_domain ON connection_domains (domain_id);
