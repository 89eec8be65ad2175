#pragma once

// What the HTTP tests share: one team's key talking JSON to a RunningApp.

#include <boost/json.hpp>
#include <string>

#include "support/running_app.hpp"

namespace leadstream::support {

inline const adapters::http::Headers kJsonHeaders{{"Content-Type", "application/json"}};

inline boost::json::value json_of(const adapters::http::HttpResponse& response) {
  return boost::json::parse(response.body);
}

struct ApiClient {
  RunningApp& running;
  std::string key;

  adapters::http::HttpResponse get(const std::string& path) { return running.request("GET", path, key); }
  /// An empty body is sent without a Content-Type, as curl -X POST does.
  adapters::http::HttpResponse post(const std::string& path, const std::string& body = {}) {
    return running.request("POST", path, key, body.empty() ? adapters::http::Headers{} : kJsonHeaders, body);
  }
  adapters::http::HttpResponse patch(const std::string& path, const std::string& body) {
    return running.request("PATCH", path, key, kJsonHeaders, body);
  }
  adapters::http::HttpResponse del(const std::string& path) { return running.request("DELETE", path, key); }
};

}  // namespace leadstream::support
