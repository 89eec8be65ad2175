#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "adapters/classifier/openai_classifier.hpp"
#include "adapters/enrichment/run_poll_enricher.hpp"
#include "domain/result.hpp"
#include "domain/rules/gazetteer.hpp"
#include "domain/rules/quotas.hpp"
#include "domain/use_cases/run_engine.hpp"

namespace leadstream::daemon {

/// Settings from the environment (LEADSTREAM_*), optionally first read from the
/// KEY=VALUE file named by LEADSTREAM_CONFIG_FILE; the environment wins.
struct Config {
  std::string database_url;
  std::string listen_address = "127.0.0.1";
  std::uint16_t listen_port = 8080;
  std::string follower_source = "synthetic";
  std::string classifier = "local";
  int rate_limit_per_minute = 60;
  /// Failed authentications per client address a minute before 429 (0: no limit).
  int auth_failures_per_minute = 30;
  std::size_t workers = 4;
  /// HTTP connections served at once; more are answered 503. The unit's LimitNOFILE covers it.
  std::size_t max_connections = 1'000;
  /// Requests waiting for a handler thread; more are answered 503 at once.
  std::size_t max_queued_requests = 64;
  /// Addresses of reverse proxies whose X-Forwarded-For names the client.
  std::vector<std::string> trusted_proxies;
  /// What one team may keep, and look up per request.
  domain::TeamQuotas quotas;
  /// From a request's arrival to its answer: still queued then, 503; outbound calls are cut at it.
  std::chrono::milliseconds request_deadline{10'000};
  /// How long a run stays with a worker that stops renewing it (a dead process) before
  /// another claims it; renewed at every saved page.
  std::chrono::seconds run_lease{120};
  /// How often a pair's sync walks to its cap whatever it finds (0: only its first).
  std::chrono::days full_walk_every{7};
  /// What run workers carry runs out with (the owner is theirs to set).
  domain::WorkerSettings run_settings() const {
    return domain::WorkerSettings{.lease = run_lease, .full_walk_every = full_walk_every};
  }
  std::string log_level = "info";
  /// The local classifier's organisations: the built-in ones, and a file's (LEADSTREAM_ORGANISATIONS_FILE).
  domain::Gazetteer gazetteer = domain::builtin_gazetteer();
  bool webhook_allow_private = false;
  /// The key that seals stored secrets (webhook signing secrets): 64 hex digits, or empty
  /// to use (and on first start create) `secret_key_file`.
  std::string secret_key;
  std::string secret_key_file = "/var/lib/leadstream/secret.key";
  /// How long a claimed batch of webhook deliveries stays with a worker that died. A
  /// batch is sent at once and takes at most `webhook_timeout`, which must fit in it.
  std::chrono::seconds delivery_lease{60};
  /// How long one webhook POST may take, from waiting for a connection to the last byte.
  std::chrono::milliseconds webhook_timeout{15'000};
  // Read and checked now, used by the adapters of later work.
  std::string x_base_url = "https://api.x.com";
  std::string x_bearer_token;
  std::string stripe_api_key;
  std::string stripe_base_url = "https://api.stripe.com";
  std::string enrich_base_url;
  std::string enrich_api_key;
  /// How the provider is polled and retried (tests shorten it).
  adapters::enrichment::RunPollSettings enrich_settings;
  /// LEADSTREAM_CLASSIFIER=openai: the endpoint (LEADSTREAM_OPENAI_BASE_URL, _API_KEY,
  /// _MODEL, _BATCH), and how it is retried.
  adapters::classifier::OpenAiSettings openai;
};

using Settings = std::map<std::string, std::string>;

/// The LEADSTREAM_* variables of `environ`, over those of the config file if one is named.
/// kInvalidRequest naming the file when it cannot be read or has a malformed line.
domain::Result<Settings> read_settings(char** environ_entries);

/// kInvalidRequest with a one-line message naming the first unknown or malformed setting.
domain::Result<Config> parse_config(const Settings& settings);

}  // namespace leadstream::daemon
