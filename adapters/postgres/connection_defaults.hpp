#pragma once

#include <string>
#include <string_view>

namespace leadstream::adapters::postgres {

/// `url` (keyword/value or postgresql:// URI) as a keyword/value string with what the
/// daemon needs of every connection, where the URL does not say otherwise: a 5 s connect
/// timeout; TCP keepalives (idle 20 s, then 3 probes 10 s apart) and a 30 s TCP user
/// timeout, so that a half-open connection, the scheduler leader's included, is found
/// dead within a minute instead of the kernel's ~15; and, unless `long_statements`, a
/// 60 s statement_timeout. A `url` libpq cannot parse comes back as it is, for libpq to
/// refuse with its reason when connecting.
std::string with_connection_defaults(std::string_view url, bool long_statements = false);

}  // namespace leadstream::adapters::postgres
