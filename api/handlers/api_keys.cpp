#include <boost/json.hpp>

#include "api/errors.hpp"
#include "api/handlers/handlers.hpp"
#include "domain/use_cases/api_keys.hpp"

namespace leadstream::api::handlers {

Response revoke_own_api_key(ApiDeps& deps, const Call& call) {
  const auto id = path_id<domain::ApiKeyId>(call);
  if (!id) return error_response({domain::ErrorCode::kNotFound, "API key not found"});
  auto revoked = domain::revoke_own_api_key(deps.api_keys, deps.authenticator, call.caller, *id);
  if (!revoked) return error_response(revoked.error());
  return json_response(200, {{"ok", true}});
}

}  // namespace leadstream::api::handlers
