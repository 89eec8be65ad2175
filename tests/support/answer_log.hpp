#pragma once

#include <string>

#include "adapters/http/curl_client.hpp"
#include "api/http_message.hpp"

namespace leadstream::support {

/// Notes an answer of the daemon to a test's request, for two checks run after the
/// integration suite:
/// - `reached_codes`: the `error` code of each error answer and the `reason` of each
///   skipped run, written at exit to the file named by LEADSTREAM_REACHED_CODES;
/// - `openapi_contract`: the answer itself (method, path, status, content type, body), one
///   JSON line each, appended to the file named by LEADSTREAM_ANSWERS.
/// Either is skipped when its variable is unset.
void note_answer(const std::string& method, const std::string& path, const adapters::http::HttpResponse& response);

/// Notes what a fake provider (`api`: "x", "stripe") was asked and answered, for
/// `published_contract`, which validates both against the schemas extracted from the
/// provider's published description (tests/data/published). One JSON line each, appended
/// to the file named by LEADSTREAM_PUBLISHED_EXCHANGES when it is set; only the first 20
/// exchanges of each kind (method, path with its digits masked, status) per process, so
/// that a hundred thousand followers do not make a log of gigabytes.
void note_exchange(const std::string& api, const api::Request& request, const api::Response& response);

/// A row of tests/resilience/run's table: what was measured, the figure expected and the
/// one observed, and whether it held. Appended, tab-separated, to the file named by
/// LEADSTREAM_RESILIENCE_TABLE when it is set; the test asserts `holds` itself.
void report_row(const std::string& measure, const std::string& expected, const std::string& observed, bool holds);

}  // namespace leadstream::support
