#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leadstream::api {

using Headers = std::vector<std::pair<std::string, std::string>>;

/// An HTTP request as the router sees it: no socket, no Beast, so handlers are testable
/// with constructed values.
struct Request {
  std::string method;  // upper case
  std::string target;  // path and query as sent
  Headers headers;     // names lower-cased
  std::string body;
  std::string remote_address;  // the client's IP address, as text; empty when not over a socket

  std::string_view path() const;
  std::string_view query() const;
  /// The first header of that name (give it lower-cased), or nullopt.
  std::optional<std::string_view> header(std::string_view lower_name) const;
  /// The first value of the query parameter, percent-decoded; nullopt when absent.
  std::optional<std::string> query_param(std::string_view name) const;
  /// Whether the query sets `name` to true (`name=true` or `name=1`).
  bool query_flag(std::string_view name) const;
};

struct Response {
  int status = 200;
  Headers headers;  // Content-Type is set from content_type
  std::string content_type = "application/json";
  std::string body;
};

}  // namespace leadstream::api
