-- Leads leave leadstream: by polling (a discovery time that orders leads as they commit),
-- with feedback per lead and segment, and marked exported.

-- Each team's latest discovery time. A page's lead insert moves it forward and holds its
-- row until the page commits, so a team's leads get distinct discovery times (and ids) in
-- the order they become visible: a poller that asks for the leads after the newest it saw
-- never misses one committed late by a concurrent run, and never gets one twice.
CREATE TABLE lead_clocks (
  team_id bigint PRIMARY KEY REFERENCES teams (id) ON DELETE CASCADE,
  last_at timestamptz NOT NULL
);

-- What a user said of a lead, per segment it was judged against; posting again replaces it.
CREATE TABLE lead_feedback (
  team_id             bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  lead_id             bigint NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
  segment_id          bigint NOT NULL,
  status              text NOT NULL CHECK (status IN ('good', 'bad')),
  bad_reason          text CHECK (bad_reason IN ('bot', 'wrong_gender', 'wrong_job', 'wrong_skill',
                                                 'wrong_personality', 'zapier', 'other')),
  bad_reason_freeform text CHECK (length(bad_reason_freeform) <= 500),
  recorded_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, lead_id, segment_id)
);

-- How many leads a team has per (stream, account, segment, confidence, lifecycle), kept
-- exact by the statements that insert and export leads: a list's `total` and `summary`
-- add up a few of these rows instead of counting a million leads.
CREATE TABLE lead_counts (
  team_id          bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  stream_id        bigint NOT NULL,
  account_id       bigint NOT NULL,
  segment_id       bigint NOT NULL,
  match_confidence text NOT NULL,
  lifecycle        text NOT NULL,
  n                bigint NOT NULL,
  PRIMARY KEY (team_id, stream_id, account_id, segment_id, match_confidence, lifecycle)
);
INSERT INTO lead_counts
  SELECT team_id, stream_id, account_id, segment_id, match_confidence, lifecycle, count(*)
  FROM leads GROUP BY 1, 2, 3, 4, 5, 6;

-- Exported leads are few: without these, lifecycle=exported walks the new ones too.
CREATE INDEX leads_exported ON leads (team_id, id DESC) WHERE lifecycle = 'exported';
CREATE INDEX leads_exported_by_stream ON leads (team_id, stream_id, id DESC) WHERE lifecycle = 'exported';

-- `since` polls, and the leads of a run as it completes.
CREATE INDEX leads_by_team_discovered ON leads (team_id, discovered_at);
