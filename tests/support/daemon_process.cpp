#include "support/daemon_process.hpp"

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <stdexcept>
#include <string_view>

extern char** environ;

namespace leadstream::support {

Environment::Environment(std::vector<std::string> extra) : strings_(std::move(extra)) {
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (!std::string_view(*entry).starts_with("LEADSTREAM_")) strings_.emplace_back(*entry);
  }
  for (auto& s : strings_) pointers_.push_back(s.data());
  pointers_.push_back(nullptr);
}

DaemonProcess::DaemonProcess(const std::string& database_url, std::vector<std::string> extra_settings) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  extra_settings.push_back("LEADSTREAM_DATABASE_URL=" + database_url);
  extra_settings.push_back("LEADSTREAM_LISTEN=127.0.0.1:0");
  extra_settings.push_back("LEADSTREAM_SECRET_KEY=" + std::string(64, 'b'));
  Environment environment(std::move(extra_settings));
  std::string program = LEADSTREAMD_PATH;
  std::string command = "serve";
  char* argv[] = {program.data(), command.data(), nullptr};
  const int spawned = posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv, environment.get());
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  log_ = ::fdopen(pipe_fds[0], "r");
  if (spawned != 0) throw std::runtime_error("cannot start " + program);
  port_ = read_port();
  drain_ = std::thread([this, log = log_] {
    char line[1024];
    while (::fgets(line, sizeof line, log) != nullptr) {
      if (std::string_view(line).ends_with('\n')) ++log_lines_;
    }
  });
}

DaemonProcess::~DaemonProcess() {
  if (pid_ > 0 && !reaped_) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (drain_.joinable()) drain_.join();  // the pipe is at its end once the daemon is gone
  if (log_) ::fclose(log_);
}

void DaemonProcess::limit_open_files(unsigned long count) {
  const rlimit limit{count, count};
  if (::prlimit(pid_, RLIMIT_NOFILE, &limit, nullptr) != 0) throw std::runtime_error("prlimit failed");
}

void DaemonProcess::signal(int number) { ::kill(pid_, number); }

int DaemonProcess::wait_for_exit() {
  int status = 0;
  ::waitpid(pid_, &status, 0);
  reaped_ = true;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string DaemonProcess::read_port() {
  constexpr std::string_view kMarker = "listening on http://127.0.0.1:";
  char line[1024];
  while (::fgets(line, sizeof line, log_) != nullptr) {
    std::string text(line);
    const auto at = text.find(kMarker);
    if (at == std::string::npos) continue;
    auto port = text.substr(at + kMarker.size());
    while (!port.empty() && (port.back() == '\n' || port.back() == ' ')) port.pop_back();
    return port;
  }
  throw std::runtime_error("leadstreamd exited before listening");
}

}  // namespace leadstream::support
