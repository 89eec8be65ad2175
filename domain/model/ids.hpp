#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace leadstream::domain {

/// Integer ids, one type each so that a team id is never passed where a key id belongs.
template <class Tag>
struct Id {
  std::int64_t value = 0;
  auto operator<=>(const Id&) const = default;
};

using TeamId = Id<struct TeamTag>;
using ApiKeyId = Id<struct ApiKeyTag>;
using SegmentId = Id<struct SegmentTag>;
using AccountId = Id<struct AccountTag>;
using StreamId = Id<struct StreamTag>;
using RunId = Id<struct RunTag>;
using LeadId = Id<struct LeadTag>;

}  // namespace leadstream::domain

template <class Tag>
struct std::hash<leadstream::domain::Id<Tag>> {
  std::size_t operator()(const leadstream::domain::Id<Tag>& id) const noexcept {
    return std::hash<std::int64_t>{}(id.value);
  }
};
