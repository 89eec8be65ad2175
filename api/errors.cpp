#include "api/errors.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

namespace leadstream::api {

ErrorMapping map_error(domain::ErrorCode code) {
  using domain::ErrorCode;
  switch (code) {
    case ErrorCode::kInvalidRequest: return {400, "invalid_request"};
    case ErrorCode::kInvalidApiKey: return {401, "invalid_api_key"};
    case ErrorCode::kNotFound: return {404, "not_found"};
    case ErrorCode::kForbidden: return {403, "forbidden"};  // usually with a specific code
    case ErrorCode::kMethodNotAllowed: return {405, "method_not_allowed"};
    case ErrorCode::kConflict: return {409, "conflict"};
    case ErrorCode::kGone: return {410, "gone"};
    case ErrorCode::kPayloadTooLarge: return {413, "payload_too_large"};
    case ErrorCode::kUnsupportedMediaType: return {415, "unsupported_media_type"};
    case ErrorCode::kUnprocessable: return {422, "unprocessable"};
    case ErrorCode::kRateLimited: return {429, "rate_limited"};
    case ErrorCode::kUpstream: return {502, "upstream_error"};
    case ErrorCode::kUnavailable: return {503, "unavailable"};
    case ErrorCode::kInternal: return {500, "internal"};
  }
  return {500, "internal"};
}

Response error_response(const domain::Error& error) {
  const auto mapping = map_error(error.code);
  // Internal detail (SQL text, library messages) goes to the log, never to the client.
  if (error.code == domain::ErrorCode::kInternal) spdlog::error("internal error: {}", error.message);
  const bool internal = error.code == domain::ErrorCode::kInternal;
  const std::string_view code = error.specific.empty() ? mapping.code : std::string_view(error.specific);
  boost::json::object body{{"error", code}, {"message", internal ? std::string("Internal error.") : error.message}};
  if (!error.orphans.empty()) body["orphans"] = boost::json::value_from(error.orphans);
  if (!error.details.empty()) {
    boost::json::array details;
    for (const auto& problem : error.details) details.push_back({{"field", problem.field}, {"problem", problem.problem}});
    body["details"] = std::move(details);
  }
  return Response{.status = mapping.status, .body = boost::json::serialize(body)};
}

}  // namespace leadstream::api
