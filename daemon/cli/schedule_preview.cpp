#include "daemon/cli/schedule_preview.hpp"

#include <charconv>
#include <cstdio>
#include <map>
#include <optional>

#include "adapters/system/system_time_zones.hpp"
#include "daemon/cli/cli.hpp"
#include "domain/model/time.hpp"
#include "domain/rules/schedule.hpp"

namespace leadstream::daemon {
namespace {

constexpr std::string_view kUsage =
    "usage: leadstreamd schedule preview (--cron EXPR | --sync-times HH:MM[,HH:MM...]) --timezone TZ\n"
    "                                    [--from RFC3339] [--count N]\n"
    "  Prints the next N (default 5) fire times in RFC 3339 UTC, one a line, after --from\n"
    "  (default: now). Cron: 5 fields with lists, ranges, steps, names, @daily and the like.\n";

std::vector<std::string> split_commas(const std::string& list) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= list.size()) {
    const auto comma = std::min(list.find(',', start), list.size());
    items.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return items;
}

struct Options {
  std::map<std::string, std::string> values;
  bool help = false;
};

std::optional<Options> read_options(const std::vector<std::string>& args, std::ostream& err) {
  Options options;
  for (std::size_t i = 2; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      options.help = true;
    } else if (args[i] == "--cron" || args[i] == "--sync-times" || args[i] == "--timezone" || args[i] == "--from" ||
               args[i] == "--count") {
      if (i + 1 >= args.size()) return (err << "leadstreamd: " << args[i] << " needs a value\n", std::nullopt);
      options.values[args[i].substr(2)] = args[i + 1];
      ++i;
    } else {
      return (err << "leadstreamd: unknown argument " << args[i] << '\n', std::nullopt);
    }
  }
  return options;
}

}  // namespace

int schedule_preview(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const auto options = read_options(args, err);
  if (!options) return kExitUsage;
  if (options->help) return (out << kUsage, kExitOk);
  const auto& values = options->values;
  if (values.contains("cron") == values.contains("sync-times") || !values.contains("timezone")) {
    return (err << kUsage, kExitUsage);
  }
  adapters::system::SystemTimeZones zones;
  const auto& zone = values.at("timezone");
  if (!zones.exists(zone)) return (err << "leadstreamd: --timezone: unknown time zone '" << zone << "'\n", kExitUsage);

  domain::Schedule schedule;
  const auto parsed = values.contains("cron")
                          ? std::visit(
                                [](auto r) -> std::variant<domain::Schedule, domain::ScheduleError> {
                                  if constexpr (std::is_same_v<decltype(r), domain::ScheduleError>)
                                    return r;
                                  else
                                    return domain::Schedule{r};
                                },
                                domain::parse_cron(values.at("cron")))
                          : std::visit(
                                [](auto r) -> std::variant<domain::Schedule, domain::ScheduleError> {
                                  if constexpr (std::is_same_v<decltype(r), domain::ScheduleError>)
                                    return r;
                                  else
                                    return domain::Schedule{r};
                                },
                                domain::parse_sync_times(split_commas(values.at("sync-times"))));
  if (const auto* error = std::get_if<domain::ScheduleError>(&parsed)) {
    err << "leadstreamd: " << (values.contains("cron") ? "--cron" : "--sync-times") << ": position " << error->position
        << ": " << error->message << '\n';
    return kExitUsage;
  }
  schedule = std::get<domain::Schedule>(parsed);

  auto from =
      values.contains("from")
          ? domain::parse_rfc3339(values.at("from"))
          : std::optional{std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now())};
  if (!from) return (err << "leadstreamd: --from: expected RFC 3339, e.g. 2026-03-29T00:00:00Z\n", kExitUsage);
  int count = 5;
  if (values.contains("count")) {
    const auto& text = values.at("count");
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), count);
    if (ec != std::errc{} || end != text.data() + text.size() || count < 1 || count > 1000) {
      return (err << "leadstreamd: --count: expected 1 to 1000\n", kExitUsage);
    }
  }
  for (int i = 0; i < count; ++i) {
    const auto next = domain::next_fire(schedule, zones, zone, *from);
    if (!next) break;
    out << domain::format_rfc3339(*next) << '\n';
    from = next;
  }
  return kExitOk;
}

}  // namespace leadstream::daemon
