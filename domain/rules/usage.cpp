#include "domain/rules/usage.hpp"

namespace leadstream::domain {

Timestamp usage_day_start(Timestamp now) { return std::chrono::floor<std::chrono::days>(now); }

}  // namespace leadstream::domain
