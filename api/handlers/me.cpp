#include <boost/json.hpp>

#include "api/errors.hpp"
#include "api/handlers/handlers.hpp"
#include "api/json/me_json.hpp"
#include "domain/use_cases/describe_me.hpp"

namespace leadstream::api::handlers {

Response get_me(ApiDeps& deps, const Call& call) {
  auto me = deps.me.describe(call.caller);
  if (!me) return error_response(me.error());
  return json_response(200, json::to_json(*me));
}

std::optional<Response> get_me_cached(ApiDeps& deps, const Call& call) {
  auto me = deps.me.describe_cached(call.caller);
  if (!me) return std::nullopt;
  return json_response(200, json::to_json(*me));
}

}  // namespace leadstream::api::handlers
