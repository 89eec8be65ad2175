-- A sync that walked to its tier's cap or the end of the list whatever it found: the
-- pair's next such walk is due a configured time after the latest one.
ALTER TABLE sync_runs ADD COLUMN full_walk boolean NOT NULL DEFAULT false;
