#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/model/campaign.hpp"
#include "domain/ports/time_zones.hpp"
#include "domain/result.hpp"
#include "domain/rules/schedule.hpp"

namespace leadstream::domain {

inline constexpr std::size_t kMaxPairsPerStream = 50;
inline constexpr std::size_t kMaxStreamNameLength = 200;

/// The settings trimmed, checked and normalised (sync times sorted and unique);
/// kInvalidRequest with a detail per bad field.
Result<StreamSettings> validate_stream_settings(StreamSettings settings, const TimeZones& zones);

/// The stream's schedule: its cron when set, else its syncTimes, else one daily slot
/// on a quarter hour chosen from its id, so that streams without a schedule spread over
/// the day instead of all syncing at midnight. nullopt only for a stored cron that no
/// longer parses.
std::optional<Schedule> schedule_of(const Stream& stream);

/// "@Handle", "handle" -> "handle"; nullopt unless 1-15 of [A-Za-z0-9_].
std::optional<std::string> normalize_handle(std::string_view handle);

/// "{segment} · @{handle}" for one account, "{segment} · N accounts" for more.
std::string default_stream_name(const SegmentDraft& segment, const std::vector<std::string>& handles);

}  // namespace leadstream::domain
