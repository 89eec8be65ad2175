#pragma once

#include <chrono>
#include <string>

#include "domain/model/ids.hpp"

namespace leadstream::domain {

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

struct Team {
  TeamId id;
  std::string name;
  Timestamp created_at;
};

}  // namespace leadstream::domain
