-- Where a team's quantities are billed (a Stripe subscription with one item per tier; no
-- row: the embedded ledger), what was last applied, and when a failed change is retried.
CREATE TABLE team_billing (
  team_id          bigint PRIMARY KEY REFERENCES teams (id) ON DELETE CASCADE,
  subscription_id  text NOT NULL,
  starter_item     text,
  growth_item      text,
  pro_item         text,
  updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE billing_quantities (
  team_id     bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  tier        text NOT NULL CHECK (tier IN ('starter', 'growth', 'pro')),
  quantity    integer NOT NULL CHECK (quantity >= 0),
  applied_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, tier)
);

ALTER TABLE billing_changes ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now();
DROP INDEX billing_changes_pending;
CREATE INDEX billing_changes_due ON billing_changes (next_attempt_at) WHERE applied_at IS NULL;
