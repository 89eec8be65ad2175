-- The end of the subscription's current billing period, as Stripe reports it: scheduled
-- downgrades take effect then, not at the end of the calendar month.
ALTER TABLE team_billing ADD COLUMN current_period_end timestamptz;
