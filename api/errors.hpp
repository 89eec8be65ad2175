#pragma once

#include <span>
#include <string_view>

#include "api/http_message.hpp"
#include "domain/error.hpp"
#include "domain/model/sync.hpp"

namespace leadstream::api {

/// One row of the error contract: the `error` string clients branch on, its status, and
/// the message sent when the domain gave none.
struct ErrorEntry {
  domain::ErrorCode code;
  int status;
  std::string_view name;
  std::string_view default_message;
};

/// Every code, in the order of domain::ErrorCode.
std::span<const ErrorEntry> error_table();
const ErrorEntry& error_entry(domain::ErrorCode code);

/// The contract's `reason` string of a skipped run.
std::string_view skip_reason_name(domain::SkipReason reason);

/// `{"error": code, "message": ..., "details"?: [...]}` with the mapped status.
Response error_response(const domain::Error& error);

}  // namespace leadstream::api
