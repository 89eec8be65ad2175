#pragma once

#include "adapters/http/curl_client.hpp"

namespace leadstream::support {

/// Notes the `error` code of an error answer and the `reason` of each skipped run, so
/// that the `reached_codes` check can tell which codes of the contract no test reaches.
/// Written at exit to the file named by LEADSTREAM_REACHED_CODES, when it is set.
void note_codes(const adapters::http::HttpResponse& response);

}  // namespace leadstream::support
