-- Lookups of an X handle's contacts (POST /lookups/enrich, /lookups/enrich-email), for
-- their history lists: what was asked, what was found, what it cost.
CREATE TABLE enrichment_lookups (
  id                  bigserial PRIMARY KEY,
  team_id             bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  kind                text NOT NULL CHECK (kind IN ('enrich', 'enrich-email')),
  handle              text NOT NULL,
  x_user_id           text NOT NULL,
  wants_linkedin      boolean NOT NULL,
  wants_email         boolean NOT NULL,
  verified_only       boolean NOT NULL,
  linkedin_url        text,
  linkedin_confidence double precision,
  email               text,
  email_status        text,
  email_provider      text,
  email_confidence    double precision,
  credits_charged     bigint NOT NULL DEFAULT 0,
  created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX enrichment_lookups_by_team ON enrichment_lookups (team_id, kind, id DESC);
