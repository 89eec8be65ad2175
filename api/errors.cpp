#include "api/errors.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/json.hpp>

namespace leadstream::api {
namespace {

using domain::ErrorCode;

constexpr std::array kErrorTable{
    ErrorEntry{ErrorCode::kInvalidRequest, 400, "invalid_request", "The request is not valid."},
    ErrorEntry{ErrorCode::kOrphanLabel, 400, "orphan_label", "Some search-filter labels belong to no filter group."},
    ErrorEntry{ErrorCode::kStreamArchived, 400, "stream_archived", "This stream is archived: restore it first."},
    ErrorEntry{ErrorCode::kStreamCapExceeded, 400, "stream_cap_exceeded",
               "The account is already in as many streams as its tier allows."},
    ErrorEntry{ErrorCode::kInvalidApiKey, 401, "invalid_api_key", "Invalid or revoked API key."},
    ErrorEntry{ErrorCode::kForbidden, 403, "forbidden", "Not allowed."},
    ErrorEntry{ErrorCode::kSubscriptionRequired, 403, "subscription_required", "An active subscription is required."},
    ErrorEntry{ErrorCode::kFreeAccountLimit, 403, "free_account_limit", "The free plan tracks one starter account."},
    ErrorEntry{ErrorCode::kBudgetExhausted, 403, "budget_exhausted", "This month's budget is spent."},
    ErrorEntry{ErrorCode::kQuotaExceeded, 403, "quota_exceeded", "The team's quota is reached."},
    ErrorEntry{ErrorCode::kNotFound, 404, "not_found", "Not found."},
    ErrorEntry{ErrorCode::kHandleNotFound, 404, "handle_not_found", "The X account does not exist or is suspended."},
    ErrorEntry{ErrorCode::kLeadNotFound, 404, "lead_not_found", "Lead not found."},
    ErrorEntry{ErrorCode::kProfileMissing, 404, "profile_missing", "The lead's X profile is no longer stored."},
    ErrorEntry{ErrorCode::kMethodNotAllowed, 405, "method_not_allowed", "Method not allowed."},
    ErrorEntry{ErrorCode::kConflict, 409, "conflict", "Conflict."},
    ErrorEntry{ErrorCode::kGone, 410, "gone", "Gone."},
    ErrorEntry{ErrorCode::kPayloadTooLarge, 413, "payload_too_large", "The request body is too large."},
    ErrorEntry{ErrorCode::kUnsupportedMediaType, 415, "unsupported_media_type", "Request bodies must be JSON."},
    ErrorEntry{ErrorCode::kUnprocessable, 422, "unprocessable", "The request cannot be carried out."},
    ErrorEntry{ErrorCode::kHandleProtected, 422, "handle_protected", "The X account is protected."},
    ErrorEntry{ErrorCode::kRateLimited, 429, "rate_limited", "Too many requests."},
    ErrorEntry{ErrorCode::kCreditsExhausted, 429, "credits_exhausted", "No credits left."},
    ErrorEntry{ErrorCode::kUpstream, 502, "upstream_error", "A provider refused the request."},
    ErrorEntry{ErrorCode::kUnavailable, 503, "unavailable", "Temporarily unavailable: retry later."},
    ErrorEntry{ErrorCode::kHandleLookupFailed, 503, "handle_lookup_failed", "The X account could not be looked up."},
    ErrorEntry{ErrorCode::kInternal, 500, "internal", "Internal error."},
};

static_assert(kErrorTable.size() == static_cast<std::size_t>(ErrorCode::kInternal) + 1, "a row per code");

}  // namespace

std::span<const ErrorEntry> error_table() { return kErrorTable; }

const ErrorEntry& error_entry(ErrorCode code) { return kErrorTable.at(static_cast<std::size_t>(code)); }

std::string_view skip_reason_name(domain::SkipReason reason) {
  switch (reason) {
    case domain::SkipReason::kBudgetExhausted:
      return "budget_exhausted";
    case domain::SkipReason::kAccountSleeping:
      return "account_sleeping";
    case domain::SkipReason::kRunInProgress:
      return "run_in_progress";
    case domain::SkipReason::kFreeTier:
      return "free_tier";
  }
  return "unknown";
}

Response error_response(const domain::Error& error) {
  const auto& entry = error_entry(error.code);
  // Internal detail (SQL text, library messages) goes to the log, never to the client.
  const bool internal = error.code == ErrorCode::kInternal;
  if (internal) spdlog::error("internal error: {}", error.message);
  const std::string_view message = internal || error.message.empty() ? entry.default_message : error.message;
  boost::json::object body{{"error", entry.name}, {"message", message}};
  if (!error.orphans.empty()) body["orphans"] = boost::json::value_from(error.orphans);
  if (!error.details.empty()) {
    boost::json::array details;
    for (const auto& problem : error.details)
      details.push_back({{"field", problem.field}, {"problem", problem.problem}});
    body["details"] = std::move(details);
  }
  Response response{.status = entry.status, .body = boost::json::serialize(body)};
  if (error.retry_after) response.headers.emplace_back("Retry-After", std::to_string(error.retry_after->count()));
  return response;
}

}  // namespace leadstream::api
