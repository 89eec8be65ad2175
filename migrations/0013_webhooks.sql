-- Webhook subscriptions and their delivery outbox.
CREATE TABLE webhook_subscriptions (
  id                bigserial PRIMARY KEY,
  team_id           bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  target_url        text NOT NULL,
  secret            text NOT NULL,  -- the whsec_… signing secret, sealed (AES-256-GCM) under the installation key
  stream_id         bigint,
  account_id        bigint,
  source_type       text CHECK (source_type IN ('follower', 'liker')),
  feedback_status   text CHECK (feedback_status IN ('good', 'bad')),
  match_confidence  text CHECK (match_confidence IN ('high', 'medium')),
  active            boolean NOT NULL DEFAULT true,
  disabled_reason   text,
  failing_since     timestamptz,  -- the first failed attempt since the last delivered one
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  -- A stream's own webhook (deliveryDestination leads_plus_webhook): made, changed and
  -- removed with the stream, in the stream's transaction, and delivered to like any other.
  owner_stream_id   bigint UNIQUE REFERENCES streams (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX webhook_subscriptions_by_url ON webhook_subscriptions (team_id, target_url)
  WHERE owner_stream_id IS NULL;

-- One POST to make. Rows are written in the transaction of what causes them (a run's
-- success, a feedback), claimed in batches with FOR UPDATE SKIP LOCKED under a lease, and
-- keep their message id across attempts so that receivers can drop repeats.
CREATE TABLE webhook_deliveries (
  id               bigserial PRIMARY KEY,
  team_id          bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  subscription_id  bigint NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
  message_id       text NOT NULL DEFAULT 'msg_' || replace(gen_random_uuid()::text, '-', ''),
  event_type       text NOT NULL,
  stream_id        bigint,
  run_id           bigint,
  lead_ids         bigint[] NOT NULL DEFAULT '{}',
  body             text,  -- rendered at the first attempt, then sent as it is
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  lease_owner      text,
  lease_expires_at timestamptz,
  last_status_code integer,
  last_error       text,
  last_latency_ms  integer,
  last_response    text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  delivered_at     timestamptz
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_subscription ON webhook_deliveries (subscription_id, id DESC);
