-- What enrichment knows of a person, per team: shared by every lead of that person and by
-- lookups of their handle.
CREATE TABLE enrichments (
  team_id             bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  x_user_id           text NOT NULL,
  linkedin_url        text,
  linkedin_confidence double precision,
  email               text,
  email_status        text CHECK (email_status IN ('verified', 'unverified')),
  email_provider      text,
  email_confidence    double precision,
  phone               text,
  enriched_at         timestamptz NOT NULL,
  PRIMARY KEY (team_id, x_user_id),
  CHECK ((linkedin_url IS NULL) = (linkedin_confidence IS NULL)),
  CHECK ((email IS NULL) = (email_status IS NULL) AND (email IS NULL) = (email_provider IS NULL))
);
