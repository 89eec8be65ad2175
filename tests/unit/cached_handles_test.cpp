#include <catch2/catch.hpp>
#include <map>

#include "domain/use_cases/cached_handles.hpp"

using namespace leadstream;

namespace {

/// Answers from a table and counts what it was asked.
class CountingResolver final : public domain::HandleResolver {
 public:
  domain::Result<domain::ResolvedHandle> resolve(std::string_view handle) override {
    ++asked[std::string(handle)];
    if (handle == "gone") return domain::Error{domain::ErrorCode::kHandleNotFound, "no such handle"};
    if (handle == "flaky") return domain::Error{domain::ErrorCode::kUnavailable, "X is down"};
    return domain::ResolvedHandle{std::string(handle), "42"};
  }
  std::map<std::string, int> asked;
};

}  // namespace

TEST_CASE("handle lookups are remembered, unknown ones briefly, failures not at all", "[campaigns]") {
  CountingResolver x;
  domain::CachedHandleResolver handles(x);
  for (int i = 0; i < 3; ++i) {
    CHECK(handles.resolve("yongfook")->x_user_id == "42");
    const auto gone = handles.resolve("gone");
    REQUIRE_FALSE(gone);
    CHECK(gone.error().code == domain::ErrorCode::kHandleNotFound);
    CHECK_FALSE(handles.resolve("flaky"));
  }
  CHECK(handles.resolve("YongFook"));  // one handle, however it is written
  CHECK(x.asked["yongfook"] == 1);
  CHECK(x.asked["gone"] == 1);
  CHECK(x.asked["flaky"] == 3);  // asked again each time: X may be back
}
