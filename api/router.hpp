#pragma once

#include <boost/json/value.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/http_message.hpp"
#include "domain/model/api_key.hpp"
#include "domain/ports/api_key_repository.hpp"
#include "domain/ports/clock.hpp"
#include "domain/ports/idempotency_store.hpp"
#include "domain/ports/preferences_store.hpp"
#include "domain/ports/readiness.hpp"
#include "domain/ports/secrets.hpp"
#include "domain/rules/rate_limiter.hpp"
#include "domain/use_cases/authenticator.hpp"
#include "domain/use_cases/campaigns.hpp"
#include "domain/use_cases/describe_me.hpp"
#include "domain/use_cases/enrich.hpp"
#include "domain/use_cases/leads.hpp"
#include "domain/use_cases/reconcile_billing.hpp"
#include "domain/use_cases/request_runs.hpp"
#include "domain/use_cases/run_queries.hpp"
#include "domain/use_cases/webhooks.hpp"

namespace leadstream::api {

/// What the handlers reach the domain through. References: the composition root owns them.
struct ApiDeps {
  domain::Authenticator& authenticator;
  domain::RateLimiter& rate_limiter;
  domain::FailedAuthLimiter& failed_auth;
  domain::ApiKeyRepository& api_keys;
  domain::CachedMe& me;
  domain::CampaignDeps campaigns;
  domain::RequestRunDeps runs;
  domain::QueryDeps queries;
  domain::LeadDeps leads;
  domain::EnrichDeps enrich;
  domain::LookupDeps lookups;
  domain::WebhookDeps webhooks;
  domain::PreferencesStore& preferences;
  domain::IdempotencyStore& idempotency;
  domain::ReconcileDeps billing;
  domain::Secrets& secrets;
  domain::Readiness& readiness;
  const domain::Clock& clock;
  /// Proxies whose X-Forwarded-For names the client (LEADSTREAM_TRUSTED_PROXIES).
  std::vector<std::string> trusted_proxies = {};
};

/// One authenticated request on its way to its handler.
struct Call {
  const Request& request;
  const domain::Principal& caller;
  std::vector<std::string_view> path_params;  // the {…} segments of the route, in order
  boost::json::value body;                    // null when the request had none
};

/// Answers a call; may block on the database.
using Handler = std::function<Response(ApiDeps&, const Call&)>;
/// Answers a call from memory, or nullopt when that needs the database. Never blocks.
using CachedHandler = std::function<std::optional<Response>(ApiDeps&, const Call&)>;

/// Turns a request into a response: routing, authentication, rate limiting, body checks,
/// then the handler. Never throws; an unexpected exception becomes a logged 500
/// `internal`. Thread-safe.
class Router {
 public:
  explicit Router(ApiDeps deps);

  /// Blocks on the database where needed: call it off the I/O threads.
  Response handle(const Request& request);
  /// Never blocks: the response when it can be given from memory (routing errors, bad
  /// keys, health, cached reads), nullopt when the request needs handle().
  std::optional<Response> handle_cached(const Request& request);

  /// Each keyed route as "METHOD /api/v2/path/{id}", in the order they were added: what
  /// the OpenAPI document must describe.
  std::vector<std::string> route_names() const;

 private:
  enum class Mode { kMayBlock, kCachedOnly };

  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{id}" marks a parameter
    Handler handler;
    CachedHandler cached_handler;  // empty when the route always needs the database
  };

  std::optional<Response> dispatch(const Request& request, Mode mode);
  std::optional<Response> call(const Request& request, const Route& route, std::vector<std::string_view> params,
                               Mode mode);
  std::optional<Response> guarded(const Request& request, Mode mode);
  /// POST and PATCH with an Idempotency-Key: the first response is stored and replayed.
  Response run_handler(const Route& route, const Call& call);
  Response run_idempotently(const Route& route, const Call& call, std::string_view key);
  void add(std::string method, std::string_view pattern, Handler handler, CachedHandler cached_handler = {});

  ApiDeps deps_;
  std::vector<Route> routes_;
};

}  // namespace leadstream::api
