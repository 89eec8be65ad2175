#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>

#include "daemon/cli/cli.hpp"

extern char** environ;

namespace {

void set_up_logging() {
  // stderr without colours: journald stores it as it is.
  auto logger = spdlog::stderr_logger_mt("leadstreamd");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  // NOLINTNEXTLINE(concurrency-mt-unsafe): read once at start, before any thread.
  const char* level = std::getenv("LEADSTREAM_LOG_LEVEL");
  logger->set_level(level ? spdlog::level::from_str(level) : spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace

int main(int argc, char** argv) {
  // A peer that hangs up mid-write must cost an error code, never the process.
  std::signal(SIGPIPE, SIG_IGN);
  set_up_logging();
  std::vector<std::string> args(argv + 1, argv + argc);
  return leadstream::daemon::run_cli(args, environ, std::cout, std::cerr);
}
