#pragma once

#include <string_view>

#include "api/http_message.hpp"
#include "domain/error.hpp"

namespace leadstream::api {

/// The one table from domain error codes to HTTP status and the `error` string clients
/// branch on.
struct ErrorMapping {
  int status;
  std::string_view code;
};
ErrorMapping map_error(domain::ErrorCode code);

/// `{"error": code, "message": ..., "details"?: [...]}` with the mapped status.
Response error_response(const domain::Error& error);

}  // namespace leadstream::api
