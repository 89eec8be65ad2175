#include "domain/use_cases/schedule_runs.hpp"

#include "domain/rules/stream_rules.hpp"
#include "domain/rules/tiers.hpp"
#include "domain/rules/usage.hpp"

namespace leadstream::domain {
namespace {

std::optional<Timestamp> next_slot(SchedulerDeps deps, const Stream& stream, Timestamp after) {
  const auto schedule = schedule_of(stream);
  if (!schedule || !deps.zones.exists(stream.settings.timezone)) return std::nullopt;
  return next_fire(*schedule, deps.zones, stream.settings.timezone, after);
}

Result<void> move_to_next_slots(SchedulerDeps deps, const std::vector<Stream>& streams, Timestamp after) {
  std::vector<std::pair<StreamId, std::optional<Timestamp>>> slots;
  slots.reserve(streams.size());
  for (const auto& stream : streams) slots.emplace_back(stream.id, next_slot(deps, stream, after));
  return deps.store.set_next_slots(slots);
}

}  // namespace

Result<TickReport> schedule_tick(SchedulerDeps deps, int batch_size) {
  TickReport report;
  const auto now = deps.clock.now();
  for (;;) {
    auto fresh = deps.store.unscheduled(batch_size);
    if (!fresh) return fresh.error();
    if (auto moved = move_to_next_slots(deps, *fresh, now); !moved) return moved.error();
    report.streams_scheduled += static_cast<int>(fresh->size());
    if (static_cast<int>(fresh->size()) < batch_size) break;
  }
  std::vector<DailySyncCap> caps;
  for (const auto tier : {Tier::kStarter, Tier::kGrowth, Tier::kPro})
    caps.push_back({tier, limits_of(tier).syncs_per_day});
  for (;;) {
    auto batch = deps.store.enqueue_due(now, usage_day_start(now), caps, batch_size);
    if (!batch) return batch.error();
    if (auto moved = move_to_next_slots(deps, batch->streams, now); !moved) return moved.error();
    report.streams_due += static_cast<int>(batch->streams.size());
    report.runs_enqueued += batch->runs_enqueued;
    report.skipped_budget_exhausted += batch->skipped_budget_exhausted;
    report.skipped_account_sleeping += batch->skipped_account_sleeping;
    if (static_cast<int>(batch->streams.size()) < batch_size) break;
  }
  return report;
}

Result<int> prune_finished_runs(SchedulerDeps deps) {
  const auto now = deps.clock.now();
  return deps.store.prune(now - kProgressLogRetention, now - kRunRetention);
}

Result<int> prune_records(SchedulerDeps deps) {
  const auto now = deps.clock.now();
  return deps.store.prune_records(now - kIdempotencyRetention, now - kAppliedBillingRetention);
}

}  // namespace leadstream::domain
