#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace leadstream::domain {

/// Every `error` code of the API contract, as clients branch on it. The kinds (kNotFound,
/// kUnavailable...) are what callers inside react to; the named codes refine a kind for
/// clients (kHandleNotFound is a not-found, kHandleLookupFailed an unavailable). api/errors
/// holds the one table of their strings, statuses and default messages.
enum class ErrorCode {
  kInvalidRequest,
  kOrphanLabel,
  kStreamArchived,
  kStreamCapExceeded,
  kInvalidApiKey,
  kForbidden,
  kSubscriptionRequired,
  kFreeAccountLimit,
  kBudgetExhausted,
  kQuotaExceeded,
  kNotFound,
  kHandleNotFound,
  kLeadNotFound,
  kProfileMissing,
  kMethodNotAllowed,
  kConflict,
  kGone,
  kPayloadTooLarge,
  kUnsupportedMediaType,
  kUnprocessable,
  kHandleProtected,
  kRateLimited,
  kCreditsExhausted,
  kUpstream,  // a provider refused for good (Stripe's 4xx): retrying will not help
  kUnavailable,
  kHandleLookupFailed,
  kInternal,  // keep last: the table's test walks every code up to it
};

struct FieldProblem {
  std::string field;
  std::string problem;
};

struct Error {
  ErrorCode code;
  std::string message;
  std::vector<FieldProblem> details = {};
  /// For kOrphanLabel: the labels no filter group knows.
  std::vector<std::string> orphans = {};
  /// From a provider that limited us (X, the enrichment provider): how long it asked us to
  /// wait. An API answer carries it as Retry-After.
  std::optional<std::chrono::seconds> retry_after = {};
};

}  // namespace leadstream::domain
