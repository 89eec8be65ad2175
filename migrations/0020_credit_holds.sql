-- Credits held while an enrichment runs, settled for what it found, the rest released.
--
-- Every move is a row of the ledger, and a balance is still the sum of its team's rows:
--   hold     -H  when an enrichment starts (refused when the balance is below H)
--   release  +H  when it ends, or when its lease ran out (the process died mid-way)
--   settle   -C  when it ends, C <= H the cost of what was found
ALTER TABLE credit_ledger DROP CONSTRAINT credit_ledger_kind_check;
ALTER TABLE credit_ledger ADD CONSTRAINT credit_ledger_kind_check
  CHECK (kind IN ('grant', 'hold', 'release', 'settle'));
ALTER TABLE credit_ledger ADD COLUMN hold_id bigint REFERENCES credit_ledger (id) ON DELETE CASCADE;
ALTER TABLE credit_ledger ADD CONSTRAINT credit_ledger_move_shape CHECK (
  (kind = 'grant' AND delta > 0 AND hold_id IS NULL) OR
  (kind = 'hold' AND delta < 0 AND hold_id IS NULL) OR
  (kind = 'release' AND delta > 0 AND hold_id IS NOT NULL) OR
  (kind = 'settle' AND delta < 0 AND hold_id IS NOT NULL));
-- A hold closes once: a settlement and the sweep of expired leases may race for it.
CREATE UNIQUE INDEX credit_ledger_one_release ON credit_ledger (hold_id) WHERE kind = 'release';
CREATE UNIQUE INDEX credit_ledger_one_settle ON credit_ledger (hold_id) WHERE kind = 'settle';
-- A team's recent moves, newest first (`GET /me`, `leadstreamd credits history`).
CREATE INDEX credit_ledger_by_team_recent ON credit_ledger (team_id, id DESC);
DROP INDEX credit_ledger_by_team;

-- The holds still open, few at any time: closing one deletes its row, so that whoever
-- deletes it (the settlement or the sweep) is the one that closes it.
CREATE TABLE credit_holds (
  hold_id     bigint PRIMARY KEY REFERENCES credit_ledger (id) ON DELETE CASCADE,
  team_id     bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  amount      bigint NOT NULL CHECK (amount > 0),
  lease_until timestamptz NOT NULL
);
CREATE INDEX credit_holds_by_lease ON credit_holds (lease_until);
