#pragma once

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <sys/types.h>

namespace leadstream::support {

/// The process environment without LEADSTREAM_* settings, plus `extra` ("NAME=value").
class Environment {
 public:
  explicit Environment(std::vector<std::string> extra);
  char** get() { return pointers_.data(); }

 private:
  std::vector<std::string> strings_;
  std::vector<char*> pointers_;
};

/// The real `leadstreamd serve` as a child process on an ephemeral port, found by reading
/// its log until it names the port (so the log level must stay at info or below). The
/// rest of the log is drained on a thread, so that a chatty daemon never blocks on a full
/// pipe. Killed (SIGKILL) if still running at destruction.
class DaemonProcess {
 public:
  explicit DaemonProcess(const std::string& database_url, std::vector<std::string> extra_settings = {});
  ~DaemonProcess();
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;

  std::string base_url() const { return "http://127.0.0.1:" + port_; }
  std::uint16_t port() const { return static_cast<std::uint16_t>(std::stoi(port_)); }
  /// Lowers the daemon's RLIMIT_NOFILE (soft and hard) while it runs.
  void limit_open_files(unsigned long count);
  /// Lines it has logged so far (after the one naming its port).
  std::size_t log_lines() const { return log_lines_; }
  void signal(int number);
  /// The exit status, or -1 when a signal ended it.
  int wait_for_exit();

 private:
  std::string read_port();

  pid_t pid_ = 0;
  bool reaped_ = false;
  FILE* log_ = nullptr;
  std::string port_;
  std::atomic<std::size_t> log_lines_{0};
  std::thread drain_;
};

}  // namespace leadstream::support
