#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace leadstream::daemon {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the command ran and failed (database down, conflict)
inline constexpr int kExitUsage = 2;    // bad arguments or configuration

/// Runs `leadstreamd ARGS...` (args without the program name) and returns the exit code.
/// Results go to `out`, problems to `err`. `environ_entries` supplies the settings.
int run_cli(const std::vector<std::string>& args, char** environ_entries, std::ostream& out, std::ostream& err);

}  // namespace leadstream::daemon
