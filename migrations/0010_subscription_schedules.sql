-- Scheduled downgrades take effect at the end of the billing period through a Stripe
-- subscription schedule made from the team's subscription: the one it follows, if any.
ALTER TABLE team_billing ADD COLUMN schedule_id text;
-- When the subscription's status was last read from Stripe: a team mapped since has its
-- status read on the billing worker's next pass, not at the next 15-minute drift check.
ALTER TABLE team_billing ADD COLUMN status_read_at timestamptz;
