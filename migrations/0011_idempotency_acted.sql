-- Set in the same transaction as the writes of the request that holds the key: a claim
-- whose request took effect is never carried out again, even when the process died
-- before it recorded the answer.
ALTER TABLE idempotency_keys ADD COLUMN acted_at timestamptz;
