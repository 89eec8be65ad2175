#include "domain/rules/stream_rules.hpp"

#include <algorithm>
#include <cctype>

#include "domain/rules/text.hpp"

namespace leadstream::domain {
namespace {

using Problems = std::vector<FieldProblem>;

bool looks_like_http_url(std::string_view url) {
  const auto rest = url.starts_with("https://") ? url.substr(8) : url.starts_with("http://") ? url.substr(7) : "";
  return !rest.empty() && rest.front() != '/' && url.size() <= 2000 && url.find(' ') == std::string_view::npos;
}

void check_choice(std::string_view value, std::initializer_list<std::string_view> choices, std::string field,
                  Problems& problems) {
  if (std::ranges::find(choices, value) == choices.end()) problems.push_back({std::move(field), "unknown value"});
}

void check_schedule(StreamSettings& settings, const TimeZones& zones, Problems& problems) {
  // One time at a time, so that every bad one gets its own problem.
  for (const auto& time : settings.sync_times) {
    const auto parsed = parse_sync_times({time});
    if (const auto* error = std::get_if<ScheduleError>(&parsed)) problems.push_back({"syncTimes", error->message});
  }
  std::ranges::sort(settings.sync_times);
  settings.sync_times.erase(std::ranges::unique(settings.sync_times).begin(), settings.sync_times.end());
  if (!zones.exists(settings.timezone)) problems.push_back({"timezone", "not an IANA time zone"});
  if (settings.cron) {
    settings.cron = std::string(trim(*settings.cron));
    const auto parsed = parse_cron(*settings.cron);
    if (const auto* error = std::get_if<ScheduleError>(&parsed)) {
      problems.push_back({"schedule.cron", "position " + std::to_string(error->position) + ": " + error->message});
    }
  }
}

void check_delivery(const StreamSettings& settings, Problems& problems) {
  check_choice(settings.email_mode, {"verified", "any"}, "emailMode", problems);
  if (settings.email_digest_override) {
    check_choice(*settings.email_digest_override, {"after_every_sync", "daily", "weekly", "off"}, "emailDigestOverride",
                 problems);
  }
  check_choice(settings.delivery_destination, {"leads_only", "leads_plus_webhook"}, "deliveryDestination", problems);
  if (settings.webhook_url && !looks_like_http_url(*settings.webhook_url)) {
    problems.push_back({"webhookUrl", "expected an http(s) URL"});
  }
  if (settings.delivery_destination == "leads_plus_webhook" && !settings.webhook_url) {
    problems.push_back({"webhookUrl", "required when deliveryDestination is leads_plus_webhook"});
  }
  if (settings.csv_email_recipients) {
    const auto& recipients = *settings.csv_email_recipients;
    for (const auto* list : {&recipients.to, &recipients.cc}) {
      if (list->size() > 20) problems.push_back({"csvEmailRecipients", "at most 20 addresses a list"});
      for (const auto& email : *list) {
        if (!looks_like_email(email)) problems.push_back({"csvEmailRecipients", "'" + email + "' is not an email"});
      }
    }
  }
}

}  // namespace

Result<StreamSettings> validate_stream_settings(StreamSettings settings, const TimeZones& zones) {
  Problems problems;
  settings.name = std::string(trim(settings.name));
  if (utf8_length(settings.name) > kMaxStreamNameLength) problems.push_back({"name", "at most 200 characters"});
  check_schedule(settings, zones, problems);
  check_delivery(settings, problems);
  if (!problems.empty())
    return Error{ErrorCode::kInvalidRequest, "The stream settings are not valid.", std::move(problems)};
  return settings;
}

std::optional<Schedule> schedule_of(const Stream& stream) {
  const auto& settings = stream.settings;
  if (settings.cron) {
    auto cron = parse_cron(*settings.cron);
    if (auto* parsed = std::get_if<CronSchedule>(&cron)) return Schedule{*parsed};
    return std::nullopt;  // stored ones were validated; an old bad one has no next run
  }
  if (settings.sync_times.empty()) {
    // Knuth's multiplicative hash: neighbouring ids land far apart among the 96 slots.
    const auto slot = (static_cast<std::uint64_t>(stream.id.value) * 2654435761u) % 96;
    return Schedule{DailyTimes{{std::chrono::minutes{static_cast<int>(slot) * 15}}}};
  }
  auto daily = parse_sync_times(settings.sync_times);
  if (auto* parsed = std::get_if<DailyTimes>(&daily)) return Schedule{*parsed};
  return std::nullopt;
}

std::optional<std::string> normalize_handle(std::string_view handle) {
  handle = trim(handle);
  if (handle.starts_with('@')) handle.remove_prefix(1);
  const bool valid = !handle.empty() && handle.size() <= 15 && std::ranges::all_of(handle, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
  if (!valid) return std::nullopt;
  return lower(handle);
}

std::string default_stream_name(const SegmentDraft& segment, const std::vector<std::string>& handles) {
  std::string label = segment.name.value_or(segment.description);
  if (utf8_length(label) > 80) label = truncate_characters(label, 77) + "...";
  if (handles.size() == 1) return label + " \u00b7 @" + handles.front();
  return label + " \u00b7 " + std::to_string(handles.size()) + " accounts";
}

}  // namespace leadstream::domain
