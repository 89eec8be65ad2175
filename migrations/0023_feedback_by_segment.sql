-- A run's classifier learns each segment from its latest feedback: read newest first per
-- (team, segment) when a run is claimed.
CREATE INDEX lead_feedback_by_segment ON lead_feedback (team_id, segment_id, recorded_at DESC);
