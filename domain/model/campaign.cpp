#include "domain/model/campaign.hpp"

namespace leadstream::domain {

std::string_view to_string(Tier tier) {
  switch (tier) {
    case Tier::kStarter:
      return "starter";
    case Tier::kGrowth:
      return "growth";
    case Tier::kPro:
      return "pro";
  }
  return "starter";
}

std::optional<Tier> parse_tier(std::string_view text) {
  if (text == "starter") return Tier::kStarter;
  if (text == "growth") return Tier::kGrowth;
  if (text == "pro") return Tier::kPro;
  return std::nullopt;
}

}  // namespace leadstream::domain
