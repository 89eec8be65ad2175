#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/model/sync.hpp"

namespace leadstream::api::csv {

/// The header row of a lead list as CSV (README: "Leads as CSV").
std::string lead_header();
/// One lead as an RFC 4180 record: fields with a comma, quote, CR or LF are quoted, quotes
/// doubled; CRLF ends it.
std::string lead_record(const domain::Lead& lead);
/// One field as RFC 4180 writes it.
std::string field(std::string_view value);

}  // namespace leadstream::api::csv
