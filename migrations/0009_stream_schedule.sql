-- The scheduler's bookkeeping: each stream's next slot, computed by the daemon from its
-- cron or syncTimes and time zone. NULL: not computed yet (a new or rescheduled stream).
ALTER TABLE streams ADD COLUMN next_sync_at timestamptz;
CREATE INDEX streams_due ON streams (next_sync_at) WHERE archived_at IS NULL AND is_active;
CREATE INDEX streams_unscheduled ON streams (id) WHERE next_sync_at IS NULL AND archived_at IS NULL AND is_active;

-- Pruning finished runs (see SchedulerStore::prune) walks this.
CREATE INDEX sync_runs_finished ON sync_runs (completed_at) WHERE completed_at IS NOT NULL;
