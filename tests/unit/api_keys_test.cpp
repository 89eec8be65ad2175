#include <catch2/catch.hpp>

#include "domain/model/api_key.hpp"
#include "domain/use_cases/api_keys.hpp"
#include "domain/use_cases/authenticator.hpp"
#include "fakes/in_memory.hpp"

using namespace leadstream;
using namespace std::chrono_literals;

TEST_CASE("a well-formed key is ls_live_ and 32 base62 characters", "[keys]") {
  CHECK(domain::is_well_formed_api_key("ls_live_0123456789abcdefghijABCDEFGHIJKL"));
  CHECK_FALSE(domain::is_well_formed_api_key("ls_live_0123456789abcdefghijABCDEFGHIJK"));    // 31
  CHECK_FALSE(domain::is_well_formed_api_key("ls_live_0123456789abcdefghijABCDEFGHIJKLM"));  // 33
  CHECK_FALSE(domain::is_well_formed_api_key("ls_test_0123456789abcdefghijABCDEFGHIJKL"));
  CHECK_FALSE(domain::is_well_formed_api_key("ls_live_0123456789abcdefghij-BCDEFGHIJKL"));
  CHECK_FALSE(domain::is_well_formed_api_key(""));
  CHECK(domain::api_key_prefix("ls_live_0123456789abcdefghijABCDEFGHIJKL") == "01234567");
}

namespace {

struct Keys {
  fakes::InMemoryApiKeyRepository repository;
  fakes::FakeSecrets secrets;
  fakes::ManualClock clock;
  domain::Authenticator authenticator{repository, secrets, clock, 500ms};
};

}  // namespace

TEST_CASE("an issued key is stored as digest and prefix, and authenticates", "[keys]") {
  Keys keys;
  const auto issued = domain::issue_api_key(keys.repository, keys.secrets, domain::TeamId{7}, "ci");
  REQUIRE(issued);
  CHECK(domain::is_well_formed_api_key(issued->plaintext));
  CHECK(issued->key.prefix == domain::api_key_prefix(issued->plaintext));
  CHECK(issued->key.digest == keys.secrets.sha256(issued->plaintext));

  const auto principal = keys.authenticator.authenticate(issued->plaintext);
  REQUIRE(principal);
  CHECK(principal->team_id == domain::TeamId{7});
  CHECK(principal->key_id == issued->key.id);
}

TEST_CASE("malformed, unknown and revoked keys are refused with their messages", "[keys]") {
  Keys keys;
  const auto issued = domain::issue_api_key(keys.repository, keys.secrets, domain::TeamId{1}, "");
  REQUIRE(issued);

  const auto malformed = keys.authenticator.authenticate("ls_live_short");
  REQUIRE_FALSE(malformed);
  CHECK(malformed.error().code == domain::ErrorCode::kInvalidApiKey);
  CHECK(malformed.error().message == "Invalid API key format.");

  // Same prefix, different secret: found by prefix, refused by digest.
  auto forged = issued->plaintext;
  forged.back() = forged.back() == 'z' ? 'y' : 'z';
  const auto unknown = keys.authenticator.authenticate(forged);
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().message == "Invalid or revoked API key.");

  REQUIRE(keys.repository.revoke(issued->key.id));
  keys.clock.advance(500ms);
  const auto revoked = keys.authenticator.authenticate(issued->plaintext);
  REQUIRE_FALSE(revoked);
  CHECK(revoked.error().message == "Invalid or revoked API key.");
}

TEST_CASE("lookups are cached until the TTL passes, so a revocation elsewhere lands within it", "[keys]") {
  Keys keys;
  const auto issued = domain::issue_api_key(keys.repository, keys.secrets, domain::TeamId{1}, "");
  REQUIRE(issued);
  REQUIRE(keys.authenticator.authenticate(issued->plaintext));
  REQUIRE(keys.authenticator.authenticate(issued->plaintext));
  CHECK(keys.repository.lookups == 1);

  REQUIRE(keys.repository.revoke(issued->key.id));  // as another process would
  keys.clock.advance(499ms);
  CHECK(keys.authenticator.authenticate(issued->plaintext));
  keys.clock.advance(1ms);
  CHECK_FALSE(keys.authenticator.authenticate(issued->plaintext));
}

TEST_CASE("an unknown key is remembered for a while: repeating it costs no lookup", "[keys]") {
  Keys keys;
  const std::string unknown = "ls_live_" + std::string(32, 'Q');
  REQUIRE_FALSE(keys.authenticator.authenticate(unknown));
  REQUIRE_FALSE(keys.authenticator.authenticate(unknown));
  const auto cached = keys.authenticator.authenticate_cached(unknown);  // answered from memory
  REQUIRE_FALSE(cached);
  CHECK(cached.error().message == "Invalid or revoked API key.");
  CHECK(keys.repository.lookups == 1);
  keys.clock.advance(domain::Authenticator::kUnknownKeyTtl);
  REQUIRE_FALSE(keys.authenticator.authenticate(unknown));
  CHECK(keys.repository.lookups == 2);
}

TEST_CASE("a key may revoke only itself, and stops working at once", "[keys]") {
  Keys keys;
  const auto mine = domain::issue_api_key(keys.repository, keys.secrets, domain::TeamId{1}, "mine");
  const auto sibling = domain::issue_api_key(keys.repository, keys.secrets, domain::TeamId{1}, "sibling");
  REQUIRE(mine);
  REQUIRE(sibling);
  const auto caller = keys.authenticator.authenticate(mine->plaintext);
  REQUIRE(caller);

  const auto refused = domain::revoke_own_api_key(keys.repository, keys.authenticator, *caller, sibling->key.id);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == domain::ErrorCode::kNotFound);
  CHECK(keys.authenticator.authenticate(sibling->plaintext));

  REQUIRE(domain::revoke_own_api_key(keys.repository, keys.authenticator, *caller, mine->key.id));
  CHECK_FALSE(keys.authenticator.authenticate(mine->plaintext));  // no TTL wait: forgotten
}

TEST_CASE("an unreachable key store is unavailable, not an invalid key", "[keys]") {
  Keys keys;
  const auto issued = domain::issue_api_key(keys.repository, keys.secrets, domain::TeamId{1}, "");
  REQUIRE(issued);
  keys.repository.unavailable = true;
  const auto result = keys.authenticator.authenticate(issued->plaintext);
  REQUIRE_FALSE(result);
  CHECK(result.error().code == domain::ErrorCode::kUnavailable);
}
