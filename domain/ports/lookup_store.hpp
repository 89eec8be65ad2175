#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/model/enrichment.hpp"
#include "domain/model/ids.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

/// One lookup of an X handle's contacts, as its history lists it.
struct LookupRecord {
  std::int64_t id = 0;
  std::string kind;  // enrich | enrich-email
  std::string handle;
  std::string x_user_id;
  EnrichWants wants;
  Enrichment found;  // what answered the lookup (only what was asked for)
  std::int64_t credits_charged = 0;
  Timestamp created_at;
};

struct LookupPage {
  std::vector<LookupRecord> items;  // newest first
  int total = 0;
};

/// The lookups a team made. Blocking; thread-safe.
class LookupStore {
 public:
  virtual ~LookupStore() = default;
  /// Records a lookup; returns it with its id and time.
  virtual Result<LookupRecord> record(TeamId team, LookupRecord lookup) = 0;
  virtual Result<LookupPage> list(TeamId team, const std::string& kind, int limit, int offset) = 0;
};

}  // namespace leadstream::domain
