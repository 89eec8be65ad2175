#pragma once

#include <boost/json/value.hpp>

#include "domain/model/sync.hpp"
#include "domain/ports/run_reader.hpp"
#include "domain/use_cases/enrich.hpp"
#include "domain/use_cases/request_runs.hpp"

namespace leadstream::api::json {

boost::json::value to_json(const domain::Run& run);
boost::json::value to_json(const domain::Lead& lead);
boost::json::value to_json(const domain::RunRequested& requested);
boost::json::value to_json(const domain::RetestRequested& requested);
boost::json::value to_json(const domain::EnrichOutcome& outcome);
boost::json::value to_json(const domain::LookupRecord& lookup);

}  // namespace leadstream::api::json
