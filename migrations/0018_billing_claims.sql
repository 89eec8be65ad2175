-- A billing change being settled is claimed, not locked: the reconciler marks the rows
-- with its owner and pushes next_attempt_at past the time a Stripe call can take, commits,
-- calls Stripe with no transaction open, then records the outcome only if the rows are
-- still its own. A process that died mid-call leaves rows that fall due again.
ALTER TABLE billing_changes ADD COLUMN claimed_by text;
