-- The campaign model: segments, tracked accounts, streams of (account, segment) pairs, and
-- the billing outbox that keeps paid quantities in step with active accounts.
CREATE TABLE segments (
  id                     bigserial PRIMARY KEY,
  team_id                bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  name                   text CHECK (length(name) <= 200),
  description            text NOT NULL CHECK (length(description) BETWEEN 3 AND 2000),
  gender_values          text[] NOT NULL DEFAULT '{}',
  applied_search_filters jsonb NOT NULL DEFAULT '{}',
  follower_count_tiers   text[] NOT NULL DEFAULT '{}',
  keywords               text[] NOT NULL DEFAULT '{}',
  exclude_keywords       text[] NOT NULL DEFAULT '{}',
  archived_at            timestamptz,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX segments_by_team ON segments (team_id, id);

CREATE TABLE tracked_accounts (
  id                        bigserial PRIMARY KEY,
  team_id                   bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  handle                    text NOT NULL CHECK (handle ~ '^[a-z0-9_]{1,15}$'),  -- lower case, no @
  display_handle            text NOT NULL,
  x_user_id                 text,
  tier                      text NOT NULL CHECK (tier IN ('starter', 'growth', 'pro')),
  is_active                 boolean NOT NULL DEFAULT true,
  pending_tier              text CHECK (pending_tier IN ('starter', 'growth', 'pro')),
  pending_tier_effective_at timestamptz,
  profile_image_url         text,
  last_known_follower_count bigint,
  last_known_tweet_count    bigint,
  tags                      text[] NOT NULL DEFAULT '{}',
  added_at                  timestamptz NOT NULL DEFAULT now(),
  last_synced_at            timestamptz,
  billing_status            text NOT NULL DEFAULT 'ok' CHECK (billing_status IN ('ok', 'pending', 'error')),
  billing_error             text,
  UNIQUE (team_id, handle)
);

CREATE TABLE streams (
  id                     bigserial PRIMARY KEY,
  team_id                bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  name                   text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  sync_times             text[] NOT NULL DEFAULT '{}',
  timezone               text NOT NULL DEFAULT 'UTC',
  cron                   text,
  auto_enrich_linkedin   boolean NOT NULL DEFAULT false,
  auto_enrich_email      boolean NOT NULL DEFAULT false,
  email_mode             text NOT NULL DEFAULT 'verified' CHECK (email_mode IN ('verified', 'any')),
  email_digest_override  text CHECK (email_digest_override IN ('after_every_sync', 'daily', 'weekly', 'off')),
  telegram_override      text,
  delivery_destination   text NOT NULL DEFAULT 'leads_only'
                           CHECK (delivery_destination IN ('leads_only', 'leads_plus_webhook')),
  webhook_url            text,
  csv_email_recipients   jsonb,
  is_active              boolean NOT NULL DEFAULT true,
  archived_at            timestamptz,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX streams_by_team ON streams (team_id, id);

CREATE TABLE stream_pairs (
  id          bigserial PRIMARY KEY,
  stream_id   bigint NOT NULL REFERENCES streams (id) ON DELETE CASCADE,
  account_id  bigint NOT NULL REFERENCES tracked_accounts (id),
  segment_id  bigint NOT NULL REFERENCES segments (id),
  UNIQUE (stream_id, account_id, segment_id)
);
CREATE INDEX stream_pairs_by_account ON stream_pairs (account_id);
CREATE INDEX stream_pairs_by_segment ON stream_pairs (segment_id);

-- Outbox: each row is the desired paid quantity of one tier for one team after a change,
-- written in the transaction of that change. The billing reconciler applies them.
CREATE TABLE billing_changes (
  id           bigserial PRIMARY KEY,
  team_id      bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  tier         text NOT NULL CHECK (tier IN ('starter', 'growth', 'pro')),
  quantity     integer NOT NULL CHECK (quantity >= 0),
  effective    text NOT NULL CHECK (effective IN ('now', 'period_end')),
  reason       text NOT NULL,
  account_id   bigint REFERENCES tracked_accounts (id) ON DELETE SET NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  applied_at   timestamptz,
  attempts     integer NOT NULL DEFAULT 0,
  last_error   text
);
CREATE INDEX billing_changes_pending ON billing_changes (team_id, tier, id) WHERE applied_at IS NULL;
