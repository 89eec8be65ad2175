-- A remote classifier (an OpenAI-compatible model): what each run spent on it, and its
-- answers, kept per (segment version, profile) so that a re-run asks nothing again.
ALTER TABLE sync_runs
  ADD COLUMN classifier_requests          integer NOT NULL DEFAULT 0,
  ADD COLUMN classifier_prompt_tokens     bigint NOT NULL DEFAULT 0,
  ADD COLUMN classifier_completion_tokens bigint NOT NULL DEFAULT 0,
  ADD COLUMN classifier_cached            integer NOT NULL DEFAULT 0,
  ADD COLUMN classifier_fallbacks         integer NOT NULL DEFAULT 0;

-- The key hashes everything the answer depends on: the model and the segment's terms,
-- then the profile's text. It names no team: the same question gets the same answer, and
-- nobody reads this table but the classifier.
CREATE TABLE classifier_answers (
  answer_key  text PRIMARY KEY,
  confidence  text CHECK (confidence IN ('high', 'medium')),  -- NULL: no match
  reason      text NOT NULL DEFAULT '',
  answered_at timestamptz NOT NULL DEFAULT now()
);
