-- Scheduled downgrades take effect at the end of the billing period through a Stripe
-- subscription schedule made from the team's subscription: the one it follows, if any.
ALTER TABLE team_billing ADD COLUMN schedule_id text;
