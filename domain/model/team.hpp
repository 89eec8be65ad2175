#pragma once

#include <chrono>
#include <string>

#include "domain/model/ids.hpp"

namespace leadstream::domain {

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

/// A team billed through Stripe: its subscription and the item of each tier's price.
struct StripeBilling {
  std::string subscription_id;
  std::string starter_item;
  std::string growth_item;
  std::string pro_item;
};

struct Team {
  TeamId id;
  std::string name;
  Timestamp created_at;
  std::string email;  // the contact address; empty until given
};

}  // namespace leadstream::domain
