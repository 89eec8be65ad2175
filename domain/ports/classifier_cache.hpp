#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "domain/model/sync.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

/// What a remote classifier once answered for one segment and one profile.
struct CachedAnswer {
  std::optional<MatchConfidence> confidence;  // nullopt: no match
  std::string reason;
};

/// Earlier answers of a remote classifier, by a key that hashes everything the answer
/// depends on (model, segment terms, profile text): asking again would cost tokens and
/// say the same. Thread-safe.
class ClassifierCache {
 public:
  virtual ~ClassifierCache() = default;
  /// The answers stored under any of `keys`.
  virtual Result<std::unordered_map<std::string, CachedAnswer>> find(const std::vector<std::string>& keys) = 0;
  /// Stores (or replaces) the answers.
  virtual Result<void> store(const std::vector<std::pair<std::string, CachedAnswer>>& answers) = 0;
};

}  // namespace leadstream::domain
