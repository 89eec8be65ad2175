#include <boost/json.hpp>

#include "api/errors.hpp"
#include "api/handlers/handlers.hpp"

namespace leadstream::api::handlers {

Response healthz(ApiDeps&, const Request&) { return json_response(200, {{"status", "ok"}}); }

Response readyz(ApiDeps& deps, const Request&) {
  if (auto ready = deps.readiness.check(); !ready) return error_response(ready.error());
  return json_response(200, {{"status", "ready"}});
}

}  // namespace leadstream::api::handlers
