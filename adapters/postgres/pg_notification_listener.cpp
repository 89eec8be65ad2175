#include "adapters/postgres/pg_notification_listener.hpp"

#include <pqxx/pqxx>
#include <thread>

#include "adapters/postgres/connection_defaults.hpp"

namespace leadstream::adapters::postgres {
namespace {

class Receiver final : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection_base& connection, const std::string& channel, int& received)
      : pqxx::notification_receiver(connection, channel), received_(received) {}
  void operator()(const std::string& /*payload*/, int /*backend_pid*/) override { ++received_; }

 private:
  int& received_;
};

}  // namespace

struct PgNotificationListener::Impl {
  std::string url;
  std::string channel;
  int received = 0;
  // The receiver unregisters from its connection: it is destroyed first.
  std::unique_ptr<pqxx::connection> connection;
  std::unique_ptr<Receiver> receiver;

  void connect() {
    receiver.reset();
    connection = std::make_unique<pqxx::connection>(with_connection_defaults(url));
    receiver = std::make_unique<Receiver>(*connection, channel, received);
  }
};

PgNotificationListener::PgNotificationListener(std::string url, std::string channel)
    : impl_(std::make_unique<Impl>(Impl{std::move(url), std::move(channel), 0, nullptr, nullptr})) {}

PgNotificationListener::~PgNotificationListener() {
  if (impl_) impl_->receiver.reset();
}

bool PgNotificationListener::wait(std::chrono::milliseconds timeout) {
  try {
    if (!impl_->connection) impl_->connect();
    impl_->received = 0;
    // Notifications that arrived since the last wait are delivered at once.
    if (impl_->connection->get_notifs() > 0) return true;
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(timeout - seconds);
    impl_->connection->await_notification(seconds.count(), micros.count());
    return impl_->received > 0;
  } catch (const std::exception&) {  // unreachable, or the connection broke: poll until it is back
    impl_->receiver.reset();
    impl_->connection.reset();
    std::this_thread::sleep_for(timeout);
    return false;
  }
}

}  // namespace leadstream::adapters::postgres
