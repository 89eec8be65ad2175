-- Tenants, their API keys (digest + visible prefix only) and their credit ledger.
CREATE TABLE teams (
  id         bigserial PRIMARY KEY,
  name       text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  id           bigserial PRIMARY KEY,
  team_id      bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  name         text NOT NULL DEFAULT '' CHECK (length(name) <= 100),
  prefix       text NOT NULL CHECK (prefix ~ '^[0-9A-Za-z]{8}$'),
  digest       text NOT NULL UNIQUE CHECK (digest ~ '^[0-9a-f]{64}$'),  -- SHA-256, hex
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz
);
CREATE INDEX api_keys_active_by_prefix ON api_keys (prefix) WHERE revoked_at IS NULL;
CREATE INDEX api_keys_by_team ON api_keys (team_id);

-- Append-only: a balance is the sum of its team's rows. Holds and settlements of the
-- enrichment issue add kinds here.
CREATE TABLE credit_ledger (
  id         bigserial PRIMARY KEY,
  team_id    bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  delta      bigint NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('grant')),
  reason     text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX credit_ledger_by_team ON credit_ledger (team_id);
