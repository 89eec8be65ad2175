#include "support/test_database.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <pqxx/pqxx>
#include <stdexcept>

#include "adapters/postgres/migrations.hpp"

namespace leadstream::support {
namespace {

std::atomic<int> counter{0};

// libpq's defaults (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE) name the server.
std::string admin_url() { return ""; }

/// `pg_ctlcluster VERSION NAME action` for the cluster on PGPORT (pg_virtualenv's).
void control_server(const std::string& action) {
  const std::string command = "pg_ctlcluster $(pg_lsclusters -h | awk -v port=\"${PGPORT:-5432}\" "
                              "'$3 == port {print $1, $2}') " +
                              action + " >/dev/null 2>&1";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("failed: " + command);
}

}  // namespace

TestDatabase::TestDatabase(bool migrated)
    : name_("ls_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++)) {
  pqxx::connection admin(admin_url());
  pqxx::nontransaction(admin).exec("DROP DATABASE IF EXISTS " + name_);
  pqxx::nontransaction(admin).exec("CREATE DATABASE " + name_);
  url_ = "dbname=" + name_;
  if (migrated) {
    const auto report = adapters::postgres::migrate(url_);
    if (!report) throw std::runtime_error("migrating the test database failed: " + report.error().message);
  }
}

TestDatabase::~TestDatabase() {
  try {
    pqxx::connection admin(admin_url());
    pqxx::nontransaction(admin).exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception&) {
    // Left behind; the throwaway cluster goes with it.
  }
}

std::string TestDatabase::scalar(const std::string& sql) const {
  pqxx::connection connection(url_);
  pqxx::nontransaction tx(connection);
  const auto rows = tx.exec(sql);
  if (rows.empty() || rows[0][0].is_null()) return {};
  return rows[0][0].c_str();
}

TestDatabase::ServerOutage::ServerOutage() {
  control_server("stop -m fast");
  down_ = true;
}

TestDatabase::ServerOutage::~ServerOutage() {
  try {
    end();
  } catch (const std::exception&) {
    // Every later test fails to connect, and says so.
  }
}

void TestDatabase::ServerOutage::end() {
  if (!down_) return;
  down_ = false;
  control_server("start");
}

}  // namespace leadstream::support
