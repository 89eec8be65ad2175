#include "daemon/config.hpp"

#include <arpa/inet.h>

#include <array>

#include "daemon/secret_key.hpp"
#include "domain/rules/text.hpp"

#include <charconv>
#include <fstream>
#include <functional>
#include <optional>
#include <set>

namespace leadstream::daemon {
namespace {

using domain::Error;
using domain::ErrorCode;

constexpr std::string_view kPrefix = "LEADSTREAM_";
constexpr std::string_view kConfigFile = "LEADSTREAM_CONFIG_FILE";

Error bad(std::string_view name, std::string_view problem) {
  return Error{ErrorCode::kInvalidRequest, std::string(name) + ": " + std::string(problem)};
}

std::optional<long long> parse_integer(std::string_view text) {
  long long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

domain::Result<void> parse_listen(std::string_view value, Config& config) {
  const auto colon = value.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return bad("LEADSTREAM_LISTEN", "expected HOST:PORT");
  const auto port = parse_integer(value.substr(colon + 1));
  if (!port || *port < 0 || *port > 65535) return bad("LEADSTREAM_LISTEN", "port must be 0..65535");
  config.listen_address = std::string(value.substr(0, colon));
  config.listen_port = static_cast<std::uint16_t>(*port);
  return {};
}

domain::Result<void> parse_follower_source(std::string_view value, Config& config) {
  const bool valid = value == "synthetic" || value == "xapi" || (value.starts_with("fixture:") && value.size() > 8) ||
                     (value.starts_with("synthetic:") && parse_integer(value.substr(10)).value_or(-1) > 0);
  if (!valid) return bad("LEADSTREAM_FOLLOWER_SOURCE", "expected fixture:DIR, synthetic[:N] or xapi");
  config.follower_source = std::string(value);
  return {};
}

domain::Result<void> parse_bounded(std::string_view name, std::string_view value, long long low, long long high,
                                   const std::function<void(long long)>& store) {
  const auto number = parse_integer(value);
  if (!number || *number < low || *number > high) {
    return bad(name, "expected an integer from " + std::to_string(low) + " to " + std::to_string(high));
  }
  store(*number);
  return {};
}

/// A comma-separated list of IPv4 or IPv6 addresses (names would need a lookup per request).
domain::Result<void> parse_addresses(std::string_view name, std::string_view value, std::vector<std::string>& out) {
  out.clear();
  for (auto rest = value; !rest.empty();) {
    const auto comma = std::min(rest.find(','), rest.size());
    const auto address = std::string(domain::trim(rest.substr(0, comma)));
    rest.remove_prefix(std::min(comma + 1, rest.size()));
    std::array<unsigned char, 16> bytes{};
    if (inet_pton(AF_INET, address.c_str(), bytes.data()) != 1 &&
        inet_pton(AF_INET6, address.c_str(), bytes.data()) != 1) {
      return bad(name, "expected IP addresses separated by commas, not '" + address + "'");
    }
    out.push_back(address);
  }
  return {};
}

/// A base URL our keys and tokens are sent to: https, or http to a loopback host only (a
/// fake or a local proxy), so that no token travels in cleartext.
domain::Result<void> parse_url(std::string_view name, std::string_view value, std::string& out) {
  if (value.starts_with("http://")) {
    const auto rest = value.substr(7);
    auto host = std::string(rest.substr(0, rest.find_first_of("/?#")));
    if (const auto colon = host.rfind(':'); colon != std::string::npos && !host.ends_with(']')) host.resize(colon);
    // An address, not a name that merely starts like one ("127.example.com").
    in_addr v4{};
    const bool loopback = host == "localhost" || host == "[::1]" ||
                          (inet_pton(AF_INET, host.c_str(), &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127);
    if (!loopback) return bad(name, "expected an https URL (http only to a loopback host)");
  } else if (!value.starts_with("https://")) {
    return bad(name, "expected an https URL");
  }
  out = std::string(value);
  return {};
}

domain::Result<void> parse_choice(std::string_view name, std::string_view value,
                                  const std::set<std::string_view>& choices, std::string& out) {
  if (!choices.contains(value)) {
    std::string list;
    for (auto choice : choices) {
      if (!list.empty()) list += ", ";
      list += choice;
    }
    return bad(name, "expected one of " + list);
  }
  out = std::string(value);
  return {};
}

domain::Result<void> parse_bool(std::string_view name, std::string_view value, bool& out) {
  if (value == "1" || value == "true" || value == "yes" || value == "on") {
    out = true;
  } else if (value == "0" || value == "false" || value == "no" || value == "off") {
    out = false;
  } else {
    return bad(name, "expected true or false");
  }
  return {};
}

domain::Result<void> apply(const std::string& name, const std::string& value, Config& config) {
  if (name == "LEADSTREAM_DATABASE_URL") {
    if (value.empty()) return bad(name, "must not be empty");
    config.database_url = value;
    return {};
  }
  if (name == "LEADSTREAM_LISTEN") return parse_listen(value, config);
  if (name == "LEADSTREAM_FOLLOWER_SOURCE") return parse_follower_source(value, config);
  if (name == "LEADSTREAM_CLASSIFIER") return parse_choice(name, value, {"local", "openai"}, config.classifier);
  if (name == "LEADSTREAM_LOG_LEVEL") {
    return parse_choice(name, value, {"trace", "debug", "info", "warn", "error"}, config.log_level);
  }
  if (name == "LEADSTREAM_RATE_LIMIT_PER_MINUTE") {
    return parse_bounded(name, value, 0, 1'000'000,
                         [&](long long n) { config.rate_limit_per_minute = static_cast<int>(n); });
  }
  if (name == "LEADSTREAM_AUTH_FAILURES_PER_MINUTE") {
    return parse_bounded(name, value, 0, 1'000'000,
                         [&](long long n) { config.auth_failures_per_minute = static_cast<int>(n); });
  }
  if (name == "LEADSTREAM_WORKERS") {
    return parse_bounded(name, value, 1, 256, [&](long long n) { config.workers = static_cast<std::size_t>(n); });
  }
  if (name == "LEADSTREAM_MAX_CONNECTIONS") {
    return parse_bounded(name, value, 8, 100'000,
                         [&](long long n) { config.max_connections = static_cast<std::size_t>(n); });
  }
  if (name == "LEADSTREAM_MAX_QUEUED_REQUESTS") {
    return parse_bounded(name, value, 0, 100'000,
                         [&](long long n) { config.max_queued_requests = static_cast<std::size_t>(n); });
  }
  if (name == "LEADSTREAM_REQUEST_DEADLINE_MS") {
    return parse_bounded(name, value, 100, 600'000,
                         [&](long long n) { config.request_deadline = std::chrono::milliseconds{n}; });
  }
  if (name == "LEADSTREAM_TRUSTED_PROXIES") return parse_addresses(name, value, config.trusted_proxies);
  if (name == "LEADSTREAM_MAX_SEGMENTS_PER_TEAM") {
    return parse_bounded(name, value, 1, 1'000'000, [&](long long n) { config.quotas.segments = static_cast<int>(n); });
  }
  if (name == "LEADSTREAM_MAX_STREAMS_PER_TEAM") {
    return parse_bounded(name, value, 1, 1'000'000, [&](long long n) { config.quotas.streams = static_cast<int>(n); });
  }
  if (name == "LEADSTREAM_MAX_DM_TEMPLATES_PER_TEAM") {
    return parse_bounded(name, value, 1, 100'000,
                         [&](long long n) { config.quotas.dm_templates = static_cast<int>(n); });
  }
  if (name == "LEADSTREAM_MAX_NEW_HANDLES_PER_REQUEST") {
    return parse_bounded(name, value, 1, 50,
                         [&](long long n) { config.quotas.new_handles_per_request = static_cast<std::size_t>(n); });
  }
  if (name == "LEADSTREAM_RUN_LEASE_SECONDS") {
    return parse_bounded(name, value, 2, 3'600, [&](long long n) { config.run_lease = std::chrono::seconds{n}; });
  }
  if (name == "LEADSTREAM_FULL_WALK_DAYS") {
    return parse_bounded(name, value, 0, 365, [&](long long n) { config.full_walk_every = std::chrono::days{n}; });
  }
  if (name == "LEADSTREAM_WEBHOOK_ALLOW_PRIVATE") return parse_bool(name, value, config.webhook_allow_private);
  if (name == "LEADSTREAM_SECRET_KEY") {
    if (key_from_hex(value).empty()) return bad(name, "expected 64 hex digits (32 bytes)");
    config.secret_key = value;
    return {};
  }
  if (name == "LEADSTREAM_ORGANISATIONS_FILE") {
    std::ifstream file(value);
    if (!file) return bad(name, "cannot read " + value);
    const std::string text{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
    auto gazetteer = domain::parse_gazetteer(text, domain::builtin_gazetteer());
    if (!gazetteer) return bad(name, value + ", " + gazetteer.error().message);
    config.gazetteer = std::move(*gazetteer);
    return {};
  }
  if (name == "LEADSTREAM_SECRET_KEY_FILE") {
    if (value.empty() || value.front() != '/') return bad(name, "expected an absolute path");
    config.secret_key_file = value;
    return {};
  }
  if (name == "LEADSTREAM_DELIVERY_LEASE_SECONDS") {
    return parse_bounded(name, value, 2, 3'600, [&](long long n) { config.delivery_lease = std::chrono::seconds{n}; });
  }
  if (name == "LEADSTREAM_WEBHOOK_TIMEOUT_MS") {
    return parse_bounded(name, value, 100, 60'000,
                         [&](long long n) { config.webhook_timeout = std::chrono::milliseconds{n}; });
  }
  if (name == "LEADSTREAM_X_BASE_URL") return parse_url(name, value, config.x_base_url);
  if (name == "LEADSTREAM_STRIPE_BASE_URL") return parse_url(name, value, config.stripe_base_url);
  if (name == "LEADSTREAM_OPENAI_BASE_URL") return parse_url(name, value, config.openai.base_url);
  if (name == "LEADSTREAM_OPENAI_MODEL") {
    if (value.empty()) return bad(name, "must name a model");
    return (config.openai.model = value, domain::Result<void>{});
  }
  if (name == "LEADSTREAM_OPENAI_TIMEOUT_MS") {
    return parse_bounded(name, value, 1'000, 600'000,
                         [&](long long n) { config.openai.timeout = std::chrono::milliseconds{n}; });
  }
  if (name == "LEADSTREAM_OPENAI_BATCH") {
    return parse_bounded(name, value, 1, 100, [&](long long n) { config.openai.batch = static_cast<std::size_t>(n); });
  }
  if (name == "LEADSTREAM_ENRICH_BASE_URL") return parse_url(name, value, config.enrich_base_url);
  if (name == "LEADSTREAM_X_BEARER_TOKEN") return (config.x_bearer_token = value, domain::Result<void>{});
  if (name == "LEADSTREAM_STRIPE_API_KEY") return (config.stripe_api_key = value, domain::Result<void>{});
  if (name == "LEADSTREAM_OPENAI_API_KEY") return (config.openai.api_key = value, domain::Result<void>{});
  if (name == "LEADSTREAM_ENRICH_API_KEY") return (config.enrich_api_key = value, domain::Result<void>{});
  if (name == kConfigFile) return {};
  return bad(name, "unknown setting");
}

domain::Result<Settings> read_file(const std::string& path) {
  std::ifstream file(path);
  if (!file) return bad(kConfigFile, "cannot read " + path);
  Settings settings;
  std::string line;
  for (int number = 1; std::getline(file, line); ++number) {
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    const auto equals = line.find('=');
    if (equals == std::string::npos)
      return bad(kConfigFile, path + ":" + std::to_string(number) + ": expected NAME=VALUE");
    // Trimmed, so that a file written with CRLF line ends puts no '\r' into a token.
    settings[std::string(domain::trim(line.substr(first, equals - first)))] =
        std::string(domain::trim(line.substr(equals + 1)));
  }
  return settings;
}

}  // namespace

domain::Result<Settings> read_settings(char** environ_entries) {
  Settings environment;
  for (char** entry = environ_entries; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const auto equals = text.find('=');
    if (!text.starts_with(kPrefix) || equals == std::string_view::npos) continue;
    environment[std::string(text.substr(0, equals))] = std::string(text.substr(equals + 1));
  }
  const auto file = environment.find(std::string(kConfigFile));
  if (file == environment.end()) return environment;
  auto settings = read_file(file->second);
  if (!settings) return settings;
  for (auto& [name, value] : environment) (*settings)[name] = value;
  return settings;
}

domain::Result<Config> parse_config(const Settings& settings) {
  Config config;
  for (const auto& [name, value] : settings) {
    if (auto applied = apply(name, value, config); !applied) return applied.error();
  }
  if (config.classifier == "openai" && config.openai.base_url.empty()) {
    return bad("LEADSTREAM_OPENAI_BASE_URL", "required when LEADSTREAM_CLASSIFIER=openai");
  }
  if (config.follower_source == "xapi" && config.x_bearer_token.empty()) {
    return bad("LEADSTREAM_X_BEARER_TOKEN", "required when LEADSTREAM_FOLLOWER_SOURCE=xapi");
  }
  // A batch still being sent when its lease ends would be claimed and sent again.
  if (config.webhook_timeout * 2 > config.delivery_lease) {
    return bad("LEADSTREAM_DELIVERY_LEASE_SECONDS", "must be at least twice LEADSTREAM_WEBHOOK_TIMEOUT_MS");
  }
  return config;
}

}  // namespace leadstream::daemon
