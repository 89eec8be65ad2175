#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "adapters/postgres/connection_defaults.hpp"
#include "daemon/config.hpp"

using leadstream::adapters::postgres::with_connection_defaults;

namespace {

bool has(const std::string& conninfo, const std::string& pair) {
  return (" " + conninfo + " ").find(" " + pair + " ") != std::string::npos;
}

}  // namespace

TEST_CASE("every connection gets timeouts and keepalives unless its URL sets them", "[postgres]") {
  const auto plain = with_connection_defaults("dbname=leadstream host=/run/postgresql");
  CHECK(has(plain, "dbname='leadstream'"));
  CHECK(has(plain, "host='/run/postgresql'"));
  for (const char* pair : {"connect_timeout='5'", "keepalives='1'", "keepalives_idle='20'", "keepalives_interval='10'",
                           "keepalives_count='3'", "tcp_user_timeout='30000'",
                           "options='-c tcp_keepalives_idle=20 -c tcp_keepalives_interval=10 -c tcp_keepalives_count=3"
                           " -c tcp_user_timeout=30000 -c statement_timeout=60s'"}) {
    INFO(pair);
    CHECK(has(plain, pair));
  }

  const auto chosen = with_connection_defaults("dbname=x connect_timeout=20 options='-c search_path=app'");
  CHECK(has(chosen, "connect_timeout='20'"));
  CHECK(has(chosen, "options='-c search_path=app'"));  // theirs, not ours
  CHECK(has(chosen, "keepalives='1'"));

  const auto uri = with_connection_defaults("postgresql://app@db.internal:5433/leads?sslmode=require");
  CHECK(has(uri, "host='db.internal'"));
  CHECK(has(uri, "port='5433'"));
  CHECK(has(uri, "dbname='leads'"));
  CHECK(has(uri, "user='app'"));
  CHECK(has(uri, "sslmode='require'"));
  CHECK(has(uri, "tcp_user_timeout='30000'"));

  CHECK(with_connection_defaults("dbname=x", /*long_statements=*/true).find("statement_timeout") == std::string::npos);
  CHECK(has(with_connection_defaults(R"(dbname='it\'s')"), R"(dbname='it\'s')"));  // quoted back as libpq reads it
  CHECK(with_connection_defaults("not a conninfo") == "not a conninfo");  // for libpq to refuse, with its reason
}

TEST_CASE("the quota, queue and deadline settings are read and bounded", "[config]") {
  const auto config = leadstream::daemon::parse_config({{"LEADSTREAM_DATABASE_URL", "dbname=x"},
                                                        {"LEADSTREAM_MAX_SEGMENTS_PER_TEAM", "50"},
                                                        {"LEADSTREAM_MAX_STREAMS_PER_TEAM", "40"},
                                                        {"LEADSTREAM_MAX_DM_TEMPLATES_PER_TEAM", "30"},
                                                        {"LEADSTREAM_MAX_NEW_HANDLES_PER_REQUEST", "5"},
                                                        {"LEADSTREAM_MAX_QUEUED_REQUESTS", "8"},
                                                        {"LEADSTREAM_REQUEST_DEADLINE_MS", "2500"}});
  REQUIRE(config);
  CHECK(config->quotas.segments == 50);
  CHECK(config->quotas.streams == 40);
  CHECK(config->quotas.dm_templates == 30);
  CHECK(config->quotas.new_handles_per_request == 5);
  CHECK(config->max_queued_requests == 8);
  CHECK(config->request_deadline == std::chrono::milliseconds{2500});
  CHECK_FALSE(leadstream::daemon::parse_config(
      {{"LEADSTREAM_DATABASE_URL", "dbname=x"}, {"LEADSTREAM_MAX_NEW_HANDLES_PER_REQUEST", "51"}}));
  CHECK_FALSE(leadstream::daemon::parse_config(
      {{"LEADSTREAM_DATABASE_URL", "dbname=x"}, {"LEADSTREAM_MAX_SEGMENTS_PER_TEAM", "0"}}));
  const auto proxied = leadstream::daemon::parse_config(
      {{"LEADSTREAM_DATABASE_URL", "dbname=x"}, {"LEADSTREAM_TRUSTED_PROXIES", "10.0.0.1, ::1"}});
  REQUIRE(proxied);
  CHECK(proxied->trusted_proxies == std::vector<std::string>{"10.0.0.1", "::1"});
  CHECK_FALSE(leadstream::daemon::parse_config(
      {{"LEADSTREAM_DATABASE_URL", "dbname=x"}, {"LEADSTREAM_TRUSTED_PROXIES", "proxy.internal"}}));
  const auto defaults = leadstream::daemon::parse_config({{"LEADSTREAM_DATABASE_URL", "dbname=x"}});
  REQUIRE(defaults);
  CHECK(defaults->quotas.segments == 1'000);
  CHECK(defaults->quotas.dm_templates == 200);
}

TEST_CASE("the full-walk period and the organisations file are read and checked", "[config]") {
  using leadstream::daemon::parse_config;
  const auto defaults = parse_config({{"LEADSTREAM_DATABASE_URL", "dbname=x"}});
  REQUIRE(defaults);
  CHECK(defaults->full_walk_every == std::chrono::days{7});
  CHECK(defaults->gazetteer.by_sector.at("ai").size() > 50);
  const auto never = parse_config({{"LEADSTREAM_DATABASE_URL", "dbname=x"}, {"LEADSTREAM_FULL_WALK_DAYS", "0"}});
  REQUIRE(never);
  CHECK(never->full_walk_every == std::chrono::days{0});
  CHECK_FALSE(parse_config({{"LEADSTREAM_DATABASE_URL", "dbname=x"}, {"LEADSTREAM_FULL_WALK_DAYS", "-1"}}));

  const auto path = std::filesystem::temp_directory_path() / "leadstream-organisations-test.txt";
  std::ofstream(path) << "# ours\nai  Acme Research\nfintech @paybank\n";
  const auto extended =
      parse_config({{"LEADSTREAM_DATABASE_URL", "dbname=x"}, {"LEADSTREAM_ORGANISATIONS_FILE", path.string()}});
  REQUIRE(extended);
  const auto& ai = extended->gazetteer.by_sector.at("ai");
  CHECK(std::ranges::find(ai, "openai") != ai.end());  // the built-in ones stay
  CHECK(extended->gazetteer.by_sector.at("fintech").back() == "paybank");
  std::ofstream(path) << "ai  Acme Research Lab Three\n";  // three words
  const auto bad =
      parse_config({{"LEADSTREAM_DATABASE_URL", "dbname=x"}, {"LEADSTREAM_ORGANISATIONS_FILE", path.string()}});
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find("line 1") != std::string::npos);
  std::ofstream(path) << "gardening  Kew\n";  // no such sector
  CHECK_FALSE(
      parse_config({{"LEADSTREAM_DATABASE_URL", "dbname=x"}, {"LEADSTREAM_ORGANISATIONS_FILE", path.string()}}));
  std::filesystem::remove(path);
  CHECK_FALSE(
      parse_config({{"LEADSTREAM_DATABASE_URL", "dbname=x"}, {"LEADSTREAM_ORGANISATIONS_FILE", path.string()}}));
}
