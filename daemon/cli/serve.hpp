#pragma once

#include "daemon/config.hpp"

namespace leadstream::daemon {

/// `leadstreamd serve`: migrates, serves until SIGTERM/SIGINT, then shuts down gracefully.
/// Returns the process exit code.
int serve(const Config& config);

}  // namespace leadstream::daemon
