#pragma once

#include <string>
#include <vector>

#include "domain/result.hpp"

namespace leadstream::adapters::postgres {

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

/// migrations/*.sql in version order, compiled into the binary.
const std::vector<Migration>& embedded_migrations();

struct MigrationReport {
  int applied = 0;          // by this call
  int current_version = 0;  // after it
};

/// Applies the migrations not yet applied, in order, each in its own transaction, under a
/// session advisory lock so that processes starting together apply each exactly once.
/// kUnavailable when the database cannot be reached; kInternal when a migration fails.
domain::Result<MigrationReport> migrate(const std::string& database_url,
                                        const std::vector<Migration>& migrations = embedded_migrations());

/// The highest version applied, 0 for an empty database.
domain::Result<int> applied_version(const std::string& database_url);

}  // namespace leadstream::adapters::postgres
