-- Responses to POST/PATCH requests sent with an Idempotency-Key, per team, for 24 hours.
CREATE TABLE idempotency_keys (
  team_id      bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  key          text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  fingerprint  text NOT NULL,  -- SHA-256 of method, path and body
  status       integer,        -- null while the first request is in flight
  body         text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
