#include <catch2/catch.hpp>

#include "daemon/workers/notified_loop.hpp"

TEST_CASE("a lease owner ends in 128 random bits, new for each call", "[workers]") {
  const auto owner = leadstream::daemon::process_owner();
  const auto token = owner.substr(owner.rfind(':') + 1);
  CHECK(token.size() == 32);
  CHECK(token.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(leadstream::daemon::process_owner() != owner);
}
