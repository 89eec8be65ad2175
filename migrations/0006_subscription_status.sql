-- The Stripe subscription's status as last read by the drift check: changes that add
-- quantity need it active or trialing.
ALTER TABLE team_billing ADD COLUMN status text NOT NULL DEFAULT 'active';
