#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "api/errors.hpp"
#include "api/handlers/handlers.hpp"

namespace leadstream::api::handlers {

Response healthz(ApiDeps&, const Request&) { return json_response(200, {{"status", "ok"}}); }

// The reason (which may name the schema version) goes to the log, not to whoever asks:
// /readyz needs no key.
Response readyz(ApiDeps& deps, const Request&) {
  if (auto ready = deps.readiness.check(); !ready) {
    spdlog::warn("not ready: {}", ready.error().message);
    return error_response({domain::ErrorCode::kUnavailable, "Not ready: the daemon's log says why."});
  }
  return json_response(200, {{"status", "ready"}});
}

}  // namespace leadstream::api::handlers
