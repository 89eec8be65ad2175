#include <catch2/catch.hpp>
#include <thread>

#include "adapters/postgres/migrations.hpp"
#include "support/test_database.hpp"

using namespace leadstream;

TEST_CASE("migrations apply from empty, then a re-run applies nothing", "[migrations][db]") {
  support::TestDatabase database(/*migrated=*/false);
  const auto latest = adapters::postgres::embedded_migrations().back().version;

  const auto first = adapters::postgres::migrate(database.url());
  REQUIRE(first);
  CHECK(first->applied == static_cast<int>(adapters::postgres::embedded_migrations().size()));
  CHECK(first->current_version == latest);
  CHECK(database.scalar("SELECT to_regclass('api_keys') IS NOT NULL") == "t");

  const auto again = adapters::postgres::migrate(database.url());
  REQUIRE(again);
  CHECK(again->applied == 0);
  CHECK(again->current_version == latest);
  CHECK(database.scalar("SELECT count(*) FROM schema_migrations") ==
        std::to_string(adapters::postgres::embedded_migrations().size()));
}

TEST_CASE("processes migrating together apply each migration exactly once", "[migrations][db]") {
  support::TestDatabase database(/*migrated=*/false);
  std::vector<int> applied(6, -1);
  std::vector<std::thread> migrators;
  for (std::size_t i = 0; i < applied.size(); ++i) {
    migrators.emplace_back([&, i] {
      const auto report = adapters::postgres::migrate(database.url());
      applied[i] = report ? report->applied : -100;
    });
  }
  for (auto& migrator : migrators) migrator.join();

  int total = 0;
  for (const auto count : applied) {
    REQUIRE(count >= 0);
    total += count;
  }
  CHECK(total == static_cast<int>(adapters::postgres::embedded_migrations().size()));
}

TEST_CASE("a failing migration rolls back and names itself", "[migrations][db]") {
  support::TestDatabase database(/*migrated=*/false);
  const std::vector<adapters::postgres::Migration> migrations{
      {1, "good", "CREATE TABLE good (id int)"},
      {2, "bad", "CREATE TABLE half (id int); SELECT no_such_function()"},
  };
  const auto report = adapters::postgres::migrate(database.url(), migrations);
  REQUIRE_FALSE(report);
  CHECK(report.error().message.find("migration 2 failed") != std::string::npos);
  CHECK(database.scalar("SELECT max(version) FROM schema_migrations") == "1");
  CHECK(database.scalar("SELECT to_regclass('half') IS NULL") == "t");
}

TEST_CASE("an unreachable database is reported as unavailable", "[migrations]") {
  const auto report = adapters::postgres::migrate("host=127.0.0.1 port=1 connect_timeout=2");
  REQUIRE_FALSE(report);
  CHECK(report.error().code == domain::ErrorCode::kUnavailable);
}
