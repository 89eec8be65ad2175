#pragma once

#include <string>

namespace leadstream::support {

/// A fresh, empty database on the PostgreSQL that scripts/test started (found through
/// the PG* environment variables), dropped again at the end. `migrated` applies
/// migrations/ first.
class TestDatabase {
 public:
  explicit TestDatabase(bool migrated = true);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& url() const { return url_; }
  /// Runs SQL and returns the first column of the first row as text ("" when none).
  std::string scalar(const std::string& sql) const;

  /// Stops the PostgreSQL the tests use (`pg_ctlcluster ... stop -m fast`), for as long as
  /// it lives; starting it again at destruction, even when a test failed meanwhile.
  class ServerOutage {
   public:
    ServerOutage();
    ~ServerOutage();
    ServerOutage(const ServerOutage&) = delete;
    ServerOutage& operator=(const ServerOutage&) = delete;
    /// Starts the server now (the destructor then does nothing).
    void end();

   private:
    bool down_ = false;
  };

 private:
  std::string name_;
  std::string url_;
};

}  // namespace leadstream::support
