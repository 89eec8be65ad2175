#include "support/answer_log.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <set>

namespace leadstream::support {
namespace {

/// The codes seen by this process, written out when it exits.
class ReachedCodes {
 public:
  ~ReachedCodes() {
    const char* path = std::getenv("LEADSTREAM_REACHED_CODES");
    if (!path || !*path) return;
    std::ofstream out(path, std::ios::trunc);
    for (const auto& code : codes_) out << code << '\n';
  }

  void add(std::string code) {
    std::lock_guard lock(mutex_);
    codes_.insert(std::move(code));
  }

 private:
  std::mutex mutex_;
  std::set<std::string> codes_;
};

ReachedCodes& reached() {
  static ReachedCodes codes;
  return codes;
}

void note_codes(const boost::json::object& body, int status) {
  if (const auto* error = body.if_contains("error"); error && error->is_string() && status >= 400) {
    reached().add(std::string(error->get_string()));
  }
  const auto* skipped = body.if_contains("skipped");
  if (!skipped || !skipped->is_array()) return;
  for (const auto& skip : skipped->get_array()) {
    const auto* reason = skip.is_object() ? skip.get_object().if_contains("reason") : nullptr;
    if (reason && reason->is_string()) reached().add("skip:" + std::string(reason->get_string()));
  }
}

void append_answer(const std::string& method, const std::string& path, const adapters::http::HttpResponse& response) {
  static std::mutex mutex;
  const char* file = std::getenv("LEADSTREAM_ANSWERS");
  if (!file || !*file) return;
  const boost::json::object line{{"method", method},
                                 {"path", path},
                                 {"status", response.status},
                                 {"contentType", response.header("content-type")},
                                 {"body", response.body}};
  static bool truncated = false;  // the file holds this run's answers only
  std::lock_guard lock(mutex);
  std::ofstream(file, truncated ? std::ios::app : std::ios::trunc) << boost::json::serialize(line) << '\n';
  truncated = true;
}

}  // namespace

void report_row(const std::string& measure, const std::string& expected, const std::string& observed, bool holds) {
  static std::mutex mutex;
  const char* file = std::getenv("LEADSTREAM_RESILIENCE_TABLE");
  if (!file || !*file) return;
  std::lock_guard lock(mutex);
  std::ofstream(file, std::ios::app) << measure << '\t' << expected << '\t' << observed << '\t'
                                     << (holds ? "holds" : "FAILS") << '\n';
}

void note_exchange(const std::string& api, const api::Request& request, const api::Response& response) {
  static std::mutex mutex;
  static std::map<std::string, int> seen;  // per kind of exchange
  static bool truncated = false;           // the file holds this run's exchanges only
  const char* file = std::getenv("LEADSTREAM_PUBLISHED_EXCHANGES");
  if (!file || !*file) return;
  auto kind = api + ' ' + request.method + ' ' + std::to_string(response.status) + ' ' + std::string(request.path());
  std::ranges::replace_if(
      kind, [](char c) { return c >= '0' && c <= '9'; }, '#');
  const boost::json::object line{{"api", api},
                                 {"method", request.method},
                                 {"path", request.path()},
                                 {"query", request.query()},
                                 {"requestContentType", request.header("content-type").value_or("")},
                                 {"requestBody", request.body},
                                 {"status", response.status},
                                 {"responseBody", response.body}};
  std::lock_guard lock(mutex);
  if (++seen[kind] > 20) return;
  std::ofstream(file, truncated ? std::ios::app : std::ios::trunc) << boost::json::serialize(line) << '\n';
  truncated = true;
}

void note_answer(const std::string& method, const std::string& path, const adapters::http::HttpResponse& response) {
  append_answer(method, path, response);
  boost::system::error_code ec;
  const auto body = boost::json::parse(response.body, ec);
  if (!ec && body.is_object()) note_codes(body.get_object(), response.status);
}

}  // namespace leadstream::support
