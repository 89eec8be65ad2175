#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace leadstream::daemon {

/// `leadstreamd schedule preview (--cron EXPR | --sync-times LIST) --timezone TZ
/// [--from RFC3339] [--count N]`: the next N fire times in RFC 3339 UTC, one a line.
/// Needs no database. Exit 2 for a bad expression, naming the position of the error.
int schedule_preview(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace leadstream::daemon
