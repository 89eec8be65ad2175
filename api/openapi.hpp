#pragma once

#include <string_view>

namespace leadstream::api {

/// api/openapi.json as built in: the OpenAPI 3.1 description of every route, served at
/// GET /api/v2/openapi.json and checked against real answers by the contract test.
std::string_view openapi_document();

}  // namespace leadstream::api
