#include "api/router.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>

#include "api/errors.hpp"
#include "api/handlers/handlers.hpp"
#include "api/openapi.hpp"
#include "domain/rules/text.hpp"

namespace leadstream::api {
namespace {

using domain::Error;
using domain::ErrorCode;

constexpr std::string_view kMissingAuthorization = "Missing or invalid Authorization header. Use: Bearer <api_key>";

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const auto end = std::min(path.find('/'), path.size());
    segments.push_back(path.substr(0, end));
    path.remove_prefix(end);
  }
  return segments;
}

bool is_parameter(std::string_view segment) { return segment.starts_with('{') && segment.ends_with('}'); }

/// The path parameters when `path` fits `pattern`, nullopt otherwise.
std::optional<std::vector<std::string_view>> match(const std::vector<std::string>& pattern,
                                                   const std::vector<std::string_view>& path) {
  if (pattern.size() != path.size()) return std::nullopt;
  std::vector<std::string_view> params;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (is_parameter(pattern[i])) {
      params.push_back(path[i]);
    } else if (pattern[i] != path[i]) {
      return std::nullopt;
    }
  }
  return params;
}

bool iequals_prefix(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

/// The key of `Authorization: Bearer <key>`, or nullopt when the header is missing or not
/// of the Bearer scheme.
std::optional<std::string_view> bearer_token(const Request& request) {
  auto header = request.header("authorization");
  if (!header || !iequals_prefix(*header, "bearer ")) return std::nullopt;
  auto token = header->substr(7);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty()) return std::nullopt;
  return token;
}

domain::Result<boost::json::value> parse_body(const Request& request) {
  if (request.body.empty()) return boost::json::value{};
  const auto type = request.header("content-type");
  if (!type || !iequals_prefix(*type, "application/json")) {
    return Error{ErrorCode::kUnsupportedMediaType,
                 "Request bodies must be JSON, sent with Content-Type: application/json."};
  }
  boost::system::error_code ec;
  auto value = boost::json::parse(request.body, ec);
  if (ec) return Error{ErrorCode::kInvalidRequest, "Request body is not valid JSON: " + ec.message() + "."};
  return value;
}

bool is_valid_idempotency_key(std::string_view key) {
  return !key.empty() && key.size() <= 255 && std::ranges::all_of(key, [](char c) { return c > 0x20 && c < 0x7f; });
}

void add_rate_headers(Response& response, const domain::RateDecision& decision) {
  if (!decision.enforced) return;
  response.headers.emplace_back("X-RateLimit-Limit", std::to_string(decision.limit));
  response.headers.emplace_back("X-RateLimit-Remaining", std::to_string(decision.remaining));
  if (!decision.allowed) response.headers.emplace_back("Retry-After", std::to_string(decision.retry_after.count()));
}

constexpr std::string_view kOpenApiPath = "/api/v2/openapi.json";

/// The document needs no key: it describes the API, and holds nothing of any team.
Response openapi_response(const Request& request) {
  if (request.method != "GET") {
    auto response = error_response(
        Error{ErrorCode::kMethodNotAllowed, request.method + " is not allowed on " + std::string(kOpenApiPath) + "."});
    response.headers.emplace_back("Allow", "GET");
    return response;
  }
  // Served without the source's indentation: 79 KB instead of 183 KB to anyone who asks.
  static const std::string kMinified = boost::json::serialize(boost::json::parse(openapi_document()));
  return Response{.status = 200,
                  .headers = {{"Cache-Control", "public, max-age=300"}},
                  .content_type = "application/json",
                  .body = kMinified};
}

/// Where a request came from: the peer, or, when the peer is a proxy the operator trusts,
/// the last address in X-Forwarded-For that is not one of those proxies (the ones before
/// it are the client's to write, and so to forge).
std::string client_address(const Request& request, const std::vector<std::string>& trusted) {
  const auto is_trusted = [&](std::string_view address) {
    return std::ranges::find(trusted, address) != trusted.end();
  };
  if (!is_trusted(request.remote_address)) return request.remote_address;
  const auto header = request.header("x-forwarded-for");
  if (!header) return request.remote_address;
  std::string_view rest = *header;
  while (!rest.empty()) {
    const auto comma = rest.rfind(',');
    const auto address = domain::trim(rest.substr(comma == std::string_view::npos ? 0 : comma + 1));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    if (!address.empty() && !is_trusted(address)) return std::string(address);
  }
  return request.remote_address;
}

}  // namespace

Router::Router(ApiDeps deps) : deps_(deps) {
  add("GET", "/api/v2/me", handlers::get_me, handlers::get_me_cached);
  add("DELETE", "/api/v2/lookups/api-keys/{id}", handlers::revoke_own_api_key);
  add("POST", "/api/v2/segments", handlers::create_segment);
  add("GET", "/api/v2/segments", handlers::list_segments);
  add("POST", "/api/v2/lookups/segments/from-description", handlers::segment_from_description);
  add("GET", "/api/v2/lookups/segment-labels", handlers::segment_labels);
  add("GET", "/api/v2/accounts", handlers::list_accounts);
  add("POST", "/api/v2/accounts/{id}/sleep", handlers::sleep_account);
  add("POST", "/api/v2/accounts/{id}/wake", handlers::wake_account);
  add("POST", "/api/v2/accounts/{id}/change-tier", handlers::change_tier);
  add("POST", "/api/v2/streams", handlers::create_stream);
  add("GET", "/api/v2/streams", handlers::list_streams);
  add("GET", "/api/v2/streams/{id}", handlers::get_stream);
  add("PATCH", "/api/v2/streams/{id}", handlers::patch_stream);
  add("DELETE", "/api/v2/streams/{id}", handlers::archive_stream);
  add("POST", "/api/v2/streams/{id}/run", handlers::request_run);
  add("POST", "/api/v2/streams/{id}/re-test", handlers::request_retest);
  add("GET", "/api/v2/streams/{id}/runs", handlers::list_stream_runs);
  add("GET", "/api/v2/streams/{id}/runs/{runId}", handlers::get_stream_run);
  add("GET", "/api/v2/streams/{id}/leads", handlers::list_stream_leads);
  add("GET", "/api/v2/leads", handlers::list_leads);
  add("POST", "/api/v2/leads/{id}/feedback", handlers::lead_feedback);
  add("POST", "/api/v2/leads/{id}/export", handlers::export_lead);
  add("POST", "/api/v2/leads/{id}/enrich", handlers::enrich_lead);
  add("POST", "/api/v2/lookups/enrich", handlers::lookup_enrich);
  add("POST", "/api/v2/lookups/enrich-email", handlers::lookup_enrich_email);
  add("GET", "/api/v2/lookups/enrich/history", handlers::lookup_enrich_history);
  add("GET", "/api/v2/lookups/enrich-email/history", handlers::lookup_enrich_email_history);
  add("POST", "/api/v2/webhooks/subscribe", handlers::subscribe_webhook);
  add("DELETE", "/api/v2/webhooks/subscribe", handlers::unsubscribe_webhook);
  add("GET", "/api/v2/webhooks", handlers::list_webhooks);
  add("GET", "/api/v2/webhooks/{id}/deliveries", handlers::list_webhook_deliveries);
  add("POST", "/api/v2/webhooks/{id}/test", handlers::test_webhook);
  add("GET", "/api/v2/runs", handlers::list_runs);
  add("GET", "/api/v2/dm-templates", handlers::list_templates);
  add("POST", "/api/v2/dm-templates", handlers::create_template);
  add("GET", "/api/v2/dm-templates/{id}", handlers::get_template);
  add("PUT", "/api/v2/dm-templates/{id}", handlers::update_template);
  add("DELETE", "/api/v2/dm-templates/{id}", handlers::delete_template);
  add("GET", "/api/v2/notification-settings", handlers::get_notification_settings);
  add("PUT", "/api/v2/notification-settings", handlers::put_notification_settings);
}

void Router::add(std::string method, std::string_view pattern, Handler handler, CachedHandler cached_handler) {
  std::vector<std::string> segments;
  for (auto segment : split_path(pattern)) segments.emplace_back(segment);
  routes_.push_back(Route{std::move(method), std::move(segments), std::move(handler), std::move(cached_handler)});
}

std::vector<std::string> Router::route_names() const {
  std::vector<std::string> names;
  for (const auto& route : routes_) {
    std::string name = route.method + " ";
    for (const auto& segment : route.segments) name += "/" + segment;
    names.push_back(std::move(name));
  }
  return names;
}

Response Router::handle(const Request& request) { return *guarded(request, Mode::kMayBlock); }

std::optional<Response> Router::handle_cached(const Request& request) { return guarded(request, Mode::kCachedOnly); }

std::optional<Response> Router::guarded(const Request& request, Mode mode) {
  try {
    return dispatch(request, mode);
  } catch (const std::exception& error) {
    // error_response logs the detail and answers a bare "Internal error.".
    return error_response(
        Error{ErrorCode::kInternal, request.method + " " + std::string(request.path()) + " failed: " + error.what()});
  }
}

std::optional<Response> Router::dispatch(const Request& request, Mode mode) {
  const auto path = request.path();
  if (path == "/healthz") return handlers::healthz(deps_, request);
  if (path == "/readyz") {
    if (mode == Mode::kCachedOnly) return std::nullopt;
    return handlers::readyz(deps_, request);
  }
  if (path == kOpenApiPath) return openapi_response(request);
  if (path == "/api/v1" || path.starts_with("/api/v1/")) {
    return error_response(Error{ErrorCode::kGone, "API v1 has been retired. Use /api/v2: see the migration guide."});
  }

  const auto segments = split_path(path);
  std::string allowed;
  for (const auto& route : routes_) {
    auto params = match(route.segments, segments);
    if (!params) continue;
    if (route.method == request.method) return call(request, route, std::move(*params), mode);
    allowed += allowed.empty() ? route.method : ", " + route.method;
  }
  if (!allowed.empty()) {
    auto response = error_response(
        Error{ErrorCode::kMethodNotAllowed, request.method + " is not allowed on " + std::string(path) + "."});
    response.headers.emplace_back("Allow", allowed);
    return response;
  }
  return error_response(Error{ErrorCode::kNotFound, "No route for " + request.method + " " + std::string(path) + "."});
}

std::optional<Response> Router::call(const Request& request, const Route& route, std::vector<std::string_view> params,
                                     Mode mode) {
  const auto token = bearer_token(request);
  if (!token) return error_response(Error{ErrorCode::kInvalidApiKey, std::string(kMissingAuthorization)});
  const auto now = deps_.clock.steady_now();
  const auto address = client_address(request, deps_.trusted_proxies);
  const auto refuse = [&](const Error& error) {
    if (error.code == ErrorCode::kInvalidApiKey) deps_.failed_auth.admit(address, now);
    return error_response(error);
  };
  // An address that failed too often this minute gets no key lookup, unless the key
  // authenticated here recently.
  if (const auto failures = deps_.failed_auth.peek(address, now);
      !failures.allowed && !deps_.authenticator.recently_valid(*token)) {
    Error refused{ErrorCode::kRateLimited, "Too many failed authentications from this address. Retry after " +
                                               std::to_string(failures.retry_after.count()) + " s."};
    refused.retry_after = failures.retry_after;  // answered as Retry-After
    return error_response(refused);
  }
  std::optional<domain::Principal> caller;
  if (mode == Mode::kCachedOnly) {
    if (!route.cached_handler) return std::nullopt;
    auto cached = deps_.authenticator.authenticate_cached(*token);
    if (!cached) return refuse(cached.error());
    if (!*cached) return std::nullopt;
    caller = std::move(*cached);
  } else {
    auto authenticated = deps_.authenticator.authenticate(*token);
    if (!authenticated) return refuse(authenticated.error());
    caller = std::move(*authenticated);
  }

  auto body = parse_body(request);
  const Call call{request, *caller, std::move(params), body ? std::move(*body) : boost::json::value{}};
  // A cached answer is computed first so that a miss, which goes on to handle(), is not
  // counted against the rate limit twice. Cached handlers only read.
  std::optional<Response> cached_response;
  if (mode == Mode::kCachedOnly && body) {
    cached_response = route.cached_handler(deps_, call);
    if (!cached_response) return std::nullopt;
  }

  const auto decision = deps_.rate_limiter.admit(caller->key_id, deps_.clock.steady_now());
  Response response;
  if (!decision.allowed) {
    response = error_response(Error{ErrorCode::kRateLimited, "Rate limit of " + std::to_string(decision.limit) +
                                                                 " requests per minute exceeded. Retry after " +
                                                                 std::to_string(decision.retry_after.count()) + " s."});
  } else if (!body) {
    response = error_response(body.error());
  } else {
    response = cached_response ? std::move(*cached_response) : run_handler(route, call);
    // A write through this process shows at once in the team's next /me, not a TTL later.
    if (request.method != "GET" && response.status < 300) deps_.me.forget(caller->team_id);
  }
  add_rate_headers(response, decision);
  return response;
}

Response Router::run_handler(const Route& route, const Call& call) {
  const auto key = call.request.header("idempotency-key");
  const bool applies = call.request.method == "POST" || call.request.method == "PATCH";
  if (!key || !applies) return route.handler(deps_, call);
  if (!is_valid_idempotency_key(*key)) {
    return error_response(Error{ErrorCode::kInvalidRequest,
                                "Idempotency-Key must be 1 to 255 visible ASCII characters.",
                                {{"Idempotency-Key", "invalid"}}});
  }
  return run_idempotently(route, call, *key);
}

Response Router::run_idempotently(const Route& route, const Call& call, std::string_view key) {
  const auto team = call.caller.team_id;
  const auto& request = call.request;
  const auto fingerprint =
      domain::to_hex(deps_.secrets.sha256(request.method + " " + std::string(request.path()) + "\n" + request.body));
  auto claim = deps_.idempotency.claim(team, key, fingerprint);
  if (!claim) return error_response(claim.error());
  using Kind = domain::IdempotencyClaim::Kind;
  switch (claim->kind) {
    case Kind::kReplay: {
      Response replay{.status = claim->stored->status, .body = claim->stored->body};
      replay.headers.emplace_back("Idempotent-Replayed", "true");
      return replay;
    }
    case Kind::kMismatch:
      return error_response(Error{ErrorCode::kConflict, "This Idempotency-Key was used with a different request."});
    case Kind::kInProgress:
      return error_response(Error{ErrorCode::kConflict, "A request with this Idempotency-Key is still in progress."});
    case Kind::kLost:
      return error_response(Error{
          ErrorCode::kConflict, "The first request with this Idempotency-Key took effect, but its answer was lost when"
                                " its process stopped. Read the result back, or send a new key to act again."});
    case Kind::kNew:
      break;
  }
  auto response = [&] {
    // The handler's writes mark the claim in their own transactions, whatever it throws.
    struct Acting {
      domain::IdempotencyStore& store;
      ~Acting() { store.end_acting(); }
    } acting{deps_.idempotency};
    deps_.idempotency.begin_acting(team, key);
    return route.handler(deps_, call);
  }();
  // A server error usually acted on nothing (its transaction rolled back): let the retry act.
  const domain::StoredResponse answer{response.status, response.body};
  const auto recorded = response.status >= 500 ? deps_.idempotency.release(team, key, answer)
                                               : deps_.idempotency.complete(team, key, answer);
  if (!recorded) spdlog::warn("could not record an idempotent response: {}", recorded.error().message);
  return response;
}

}  // namespace leadstream::api
