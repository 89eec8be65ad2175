-- The sync engine: the run queue, the follower cache per tracked account, which followers
-- each (stream, account) has processed, and the leads they produced.

-- A durable queue: rows are claimed with FOR UPDATE SKIP LOCKED and held under a lease
-- (owner, expiry) renewed by heartbeat, so a run held by a dead process is claimed again.
CREATE TABLE sync_runs (
  id                      bigserial PRIMARY KEY,
  team_id                 bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  stream_id               bigint NOT NULL REFERENCES streams (id) ON DELETE CASCADE,
  account_id              bigint NOT NULL REFERENCES tracked_accounts (id) ON DELETE CASCADE,
  segment_id              bigint REFERENCES segments (id),  -- a re-test scoped to one segment
  source                  text NOT NULL CHECK (source IN ('cron', 'manual')),
  mode                    text NOT NULL CHECK (mode IN ('sync', 'retest')),
  status                  text NOT NULL DEFAULT 'queued'
                            CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
  slot_at                 timestamptz,  -- the cron slot a scheduled run stands for
  triggered_at            timestamptz NOT NULL DEFAULT now(),
  run_after               timestamptz NOT NULL DEFAULT now(),
  started_at              timestamptz,
  completed_at            timestamptz,
  attempt                 integer NOT NULL DEFAULT 0,
  lease_owner             text,
  lease_expires_at        timestamptz,
  follower_cursor         text,
  followers_walked        integer NOT NULL DEFAULT 0,
  new_followers_count     integer NOT NULL DEFAULT 0,
  candidates_passed_count integer NOT NULL DEFAULT 0,
  high_fit_count          integer NOT NULL DEFAULT 0,
  medium_fit_count        integer NOT NULL DEFAULT 0,
  enriched_count          integer NOT NULL DEFAULT 0,
  leads_created           integer NOT NULL DEFAULT 0,
  api_calls               integer NOT NULL DEFAULT 0,
  source_follower_count   bigint,  -- the account's follower count when the run looked it up
  error_message           text,
  progress_log            jsonb NOT NULL DEFAULT '[]',
  -- Even two schedulers cannot enqueue one cron slot twice.
  UNIQUE (stream_id, account_id, slot_at)
);
-- Never two queued or running syncs of one (stream, account).
CREATE UNIQUE INDEX sync_runs_one_open ON sync_runs (stream_id, account_id)
  WHERE status IN ('queued', 'running') AND mode = 'sync';
CREATE INDEX sync_runs_queued ON sync_runs (run_after, id) WHERE status = 'queued';
CREATE INDEX sync_runs_leased ON sync_runs (lease_expires_at) WHERE status = 'running';
CREATE INDEX sync_runs_by_team ON sync_runs (team_id, id DESC);
CREATE INDEX sync_runs_by_stream ON sync_runs (stream_id, id DESC);
CREATE INDEX sync_runs_by_account_day ON sync_runs (account_id, triggered_at) WHERE mode = 'sync';

-- The hot tables below (followers, leads) take a thousand rows per page. A foreign key costs a trigger per row, which more than doubles the cost of an
-- insert: they keep only the keys that tenant deletion cascades through (leads' team and
-- stream); their other ids are written by the run that owns them, never by users.

-- The follower cache: the latest profile of each follower of a tracked account.
CREATE TABLE followers (
  account_id        bigint NOT NULL,
  -- X user ids are opaque digits: byte order ("C") is the right order for them, and
  -- compares with memcmp where the database's locale would call strcoll on every index
  -- probe of a thousand-row page.
  x_user_id         text COLLATE "C" NOT NULL,
  handle            text NOT NULL,
  display_name      text NOT NULL DEFAULT '',
  bio               text NOT NULL DEFAULT '',
  location          text NOT NULL DEFAULT '',
  url               text NOT NULL DEFAULT '',
  profile_image_url text NOT NULL DEFAULT '',
  followers_count   bigint NOT NULL DEFAULT 0,
  following_count   bigint NOT NULL DEFAULT 0,
  tweet_count       bigint NOT NULL DEFAULT 0,
  verified          boolean NOT NULL DEFAULT false,
  protected         boolean NOT NULL DEFAULT false,
  first_seen_at     timestamptz NOT NULL DEFAULT now(),
  last_seen_at      timestamptz NOT NULL DEFAULT now(),
  -- A follower is new for a (stream, account) until a run of that pair processed it: the
  -- streams that did are listed here, in the row the run upserts anyway (a marker table
  -- cost a second insert per follower, and as much time again).
  processed_by      bigint[] NOT NULL DEFAULT '{}',
  -- Set by each upsert to its run's id where the follower was new for the run's stream,
  -- else NULL: how the upsert tells new followers from known ones in its RETURNING.
  new_for_run       bigint,
  PRIMARY KEY (account_id, x_user_id)
);

CREATE TABLE leads (
  id               bigserial PRIMARY KEY,
  team_id          bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  stream_id        bigint NOT NULL REFERENCES streams (id) ON DELETE CASCADE,
  segment_id       bigint NOT NULL,
  account_id       bigint NOT NULL,
  x_user_id        text COLLATE "C" NOT NULL,  -- as followers.x_user_id
  run_id           bigint,
  match_confidence text NOT NULL CHECK (match_confidence IN ('high', 'medium')),
  score            real NOT NULL,
  reasons          text[] NOT NULL DEFAULT '{}',
  source_type      text NOT NULL DEFAULT 'new_follower' CHECK (source_type IN ('new_follower', 'lookup')),
  lifecycle        text NOT NULL DEFAULT 'new' CHECK (lifecycle IN ('new', 'exported')),
  discovered_at    timestamptz NOT NULL DEFAULT now(),
  exported_at      timestamptz,
  -- A follower never becomes a duplicate lead, whatever retries or re-tests do.
  UNIQUE (stream_id, segment_id, x_user_id)
);
CREATE INDEX leads_by_stream ON leads (team_id, stream_id, id DESC);
CREATE INDEX leads_by_team ON leads (team_id, id DESC);
