#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

namespace leadstream::adapters::postgres {

/// A bounded set of PostgreSQL connections, opened on demand and shared by the worker
/// threads. libpqxx stays out of this header: only this adapter's .cpp files see it.
/// Thread-safe.
class ConnectionPool {
 public:
  struct Impl;

  ConnectionPool(std::string url, std::size_t size,
                 std::chrono::milliseconds acquire_timeout = std::chrono::seconds{10});
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  const std::string& url() const;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace leadstream::adapters::postgres
