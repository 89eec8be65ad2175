#include "support/reached_codes.hpp"

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <set>
#include <string>

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

}  // namespace

void note_codes(const adapters::http::HttpResponse& response) {
  boost::system::error_code ec;
  const auto body = boost::json::parse(response.body, ec);
  const auto* object = ec ? nullptr : body.if_object();
  if (!object) return;
  if (const auto* error = object->if_contains("error"); error && error->is_string() && response.status >= 400) {
    reached().add(std::string(error->get_string()));
  }
  const auto* skipped = object->if_contains("skipped");
  if (!skipped || !skipped->is_array()) return;
  for (const auto& skip : skipped->get_array()) {
    const auto* reason = skip.is_object() ? skip.get_object().if_contains("reason") : nullptr;
    if (reason && reason->is_string()) reached().add("skip:" + std::string(reason->get_string()));
  }
}

}  // namespace leadstream::support
