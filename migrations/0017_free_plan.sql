-- The free plan (`teams set-billing --team T --free`): no subscription, one starter
-- account, one daily sync, no re-tests; /me says subscriptionStatus "free_user".
ALTER TABLE teams ADD COLUMN free_plan boolean NOT NULL DEFAULT false;
