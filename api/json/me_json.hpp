#pragma once

#include <boost/json/value.hpp>

#include "domain/use_cases/describe_me.hpp"

namespace leadstream::api::json {

/// GET /me in the shape of API.md.
boost::json::value to_json(const domain::Me& me);

}  // namespace leadstream::api::json
