#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace leadstream::domain {

/// What went wrong, in the terms clients branch on; api/errors maps each to a status.
enum class ErrorCode {
  kInvalidRequest,
  kInvalidApiKey,
  kNotFound,
  kConflict,
  kGone,
  kPayloadTooLarge,
  kUnsupportedMediaType,
  kMethodNotAllowed,
  kForbidden,
  kUnprocessable,
  kRateLimited,
  kUpstream,  // a provider refused for good (Stripe's 4xx): retrying will not help
  kUnavailable,
  kInternal,
};

struct FieldProblem {
  std::string field;
  std::string problem;
};

struct Error {
  ErrorCode code;
  std::string message;
  std::vector<FieldProblem> details = {};
  /// A more specific `error` string than the code's own, sent with the code's status
  /// ("handle_not_found" is a kNotFound, "orphan_label" a kInvalidRequest).
  std::string specific = {};
  /// For "orphan_label": the labels no filter group knows.
  std::vector<std::string> orphans = {};
  /// For kRateLimited from a provider: how long it asked us to wait.
  std::optional<std::chrono::seconds> retry_after = {};
};

}  // namespace leadstream::domain
