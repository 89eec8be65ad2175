#include "adapters/postgres/connection_pool.hpp"

#include "adapters/postgres/connection_defaults.hpp"
#include "adapters/postgres/pool_internal.hpp"

namespace leadstream::adapters::postgres {

ConnectionPool::ConnectionPool(std::string url, std::size_t size, std::chrono::milliseconds acquire_timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->url = std::move(url);
  impl_->size = size == 0 ? 1 : size;
  impl_->acquire_timeout = acquire_timeout;
}

ConnectionPool::~ConnectionPool() = default;

const std::string& ConnectionPool::url() const { return impl_->url; }

std::unique_ptr<pqxx::connection> ConnectionPool::Impl::acquire() {
  std::unique_lock lock(mutex);
  const bool available = returned.wait_for(lock, acquire_timeout, [&] { return !idle.empty() || open < size; });
  if (!available) throw pqxx::broken_connection("no database connection freed up in time");
  if (!idle.empty()) {
    auto connection = std::move(idle.back());
    idle.pop_back();
    return connection;
  }
  ++open;
  lock.unlock();
  // Connecting takes milliseconds: do it outside the lock.
  try {
    return std::make_unique<pqxx::connection>(with_connection_defaults(url));
  } catch (...) {
    lock.lock();
    --open;
    returned.notify_one();
    throw;
  }
}

void ConnectionPool::Impl::release(std::unique_ptr<pqxx::connection> connection) {
  std::lock_guard lock(mutex);
  if (connection && connection->is_open()) {
    idle.push_back(std::move(connection));
  } else {
    --open;
  }
  returned.notify_one();
}

}  // namespace leadstream::adapters::postgres
