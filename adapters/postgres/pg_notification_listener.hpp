#pragma once

#include <chrono>
#include <memory>
#include <string>

namespace leadstream::adapters::postgres {

/// LISTENs on one channel over a connection of its own, outside the pool. Reconnects
/// after the connection breaks. Not thread-safe: one thread waits on it.
class PgNotificationListener {
 public:
  PgNotificationListener(std::string url, std::string channel);
  ~PgNotificationListener();
  PgNotificationListener(const PgNotificationListener&) = delete;
  PgNotificationListener& operator=(const PgNotificationListener&) = delete;

  /// True when a notification arrived within `timeout`; false on timeout or while the
  /// database cannot be reached (after waiting out the timeout, so callers can poll).
  bool wait(std::chrono::milliseconds timeout);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace leadstream::adapters::postgres
