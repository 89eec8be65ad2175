#pragma once

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
  kRateLimited,
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
};

}  // namespace leadstream::domain
