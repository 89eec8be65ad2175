#include "domain/rules/segment_vocabulary.hpp"

#include <algorithm>
#include <set>

#include "domain/rules/concept_lexicon.hpp"
#include "domain/rules/text.hpp"

namespace leadstream::domain {
namespace {

std::vector<FilterGroup> original_groups() {
  return {
      {"job_role",
       false,
       true,
       {{"Founder", "founder"},
        {"Co-founder", {}, {"cofounder", "co founder", "cofounders", "founding"}},
        {"CEO", {}, {"ceo", "chief executive"}},
        {"CTO", {}, {"cto", "chief technology"}},
        {"Executive", "leader"},
        {"Investor", "investor"},
        {"Engineer", {}, {"engineer", "engineers", "engineering", "swe", "sre"}},
        {"Developer", {}, {"developer", "developers", "dev", "devs", "programmer", "coder", "hacker"}},
        {"Designer", "designer"},
        {"Product Manager", {}, {"product manager", "pm", "product lead", "cpo", "product management"}},
        {"Marketer", "marketing"},
        {"Sales", "sales"},
        {"Recruiter", "recruiter"},
        {"Researcher", {}, {"researcher", "research", "scientist", "phd", "professor", "postdoc", "lab"}},
        {"Student", {}, {"student", "students", "undergrad", "phd student", "studying"}},
        {"Creator", {}, {"creator", "youtuber", "writer", "newsletter", "podcast", "podcaster", "streamer", "author"}},
        {"Consultant",
         {},
         {"consultant", "consulting", "advisor", "adviser", "freelance", "freelancer", "fractional"}}}},
      {"skill",
       false,
       false,
       {{"AI/ML", "ai"},
        {"Software Engineering", "developer"},
        {"Developer Tools",
         {},
         {"devtools", "devtool", "developer tools", "dx", "sdk", "sdks", "api", "apis", "cli", "ide", "open source",
          "developer experience"}},
        {"Web Development",
         {},
         {"web", "frontend", "front end", "react", "javascript", "typescript", "nextjs", "full stack", "fullstack",
          "css"}},
        {"Mobile Development", {}, {"mobile", "ios", "android", "swift", "kotlin", "react native", "flutter"}},
        {"DevOps", {}, {"devops", "sre", "kubernetes", "k8s", "docker", "terraform", "cloud", "infra"}},
        {"Data Science", "data"},
        {"Security", "security"},
        {"Design", "designer"},
        {"Product", {}, {"product", "products", "product management", "pm"}},
        {"Marketing", "marketing"},
        {"Growth", {}, {"growth", "plg", "acquisition", "retention", "activation"}},
        {"Sales", "sales"},
        {"SaaS", "b2b_saas"},
        {"Fintech", "fintech"},
        {"Crypto/Web3", "web3"},
        {"E-commerce", "ecommerce"},
        {"Healthcare", "health"},
        {"Startups", "startup"},
        {"Venture Capital", "investor"}}},
  };
}

std::vector<FilterGroup> extension_groups() {
  return {
      {"role",
       true,
       true,
       {{"founder", "founder"},
        {"cofounder", {}, {"cofounder", "co founder", "cofounders"}},
        {"ceo", {}, {"ceo", "chief executive"}},
        {"cto", {}, {"cto", "chief technology"}},
        {"executive", "leader"},
        {"engineer", {}, {"engineer", "engineers", "engineering", "developer", "developers", "programmer"}},
        {"designer", "designer"},
        {"product_manager", {}, {"product manager", "pm", "product lead", "cpo"}},
        {"marketer", "marketing"},
        {"sales", "sales"},
        {"investor", "investor"},
        {"recruiter", "recruiter"},
        {"researcher", {}, {"researcher", "research", "scientist", "phd", "professor", "postdoc"}},
        {"student", {}, {"student", "students", "undergrad", "phd student"}},
        {"creator", {}, {"creator", "youtuber", "writer", "newsletter", "podcast", "podcaster", "streamer"}}}},
      {"industry",
       true,
       false,
       {{"ai", "ai"},
        {"devtools", "developer"},
        {"saas", "b2b_saas"},
        {"fintech", "fintech"},
        {"ecommerce", "ecommerce"},
        {"healthcare", "health"},
        {"education", {}, {"education", "edtech", "teacher", "teaching", "learning", "school", "university"}},
        {"crypto", "web3"},
        {"gaming", {}, {"gaming", "games", "game", "gamedev", "esports"}},
        {"media", {}, {"media", "journalist", "journalism", "news", "publishing", "newsletter"}},
        {"marketing", "marketing"},
        {"security", "security"},
        {"hardware", {}, {"hardware", "robotics", "semiconductors", "chips", "iot", "embedded"}},
        {"climate", {}, {"climate", "cleantech", "climatetech", "energy", "solar", "carbon", "sustainability"}}}},
      {"company_stage",
       true,
       false,
       {{"solo", {}, {"solo", "solopreneur", "indie hacker", "bootstrapped", "bootstrapping", "solo founder"}},
        {"pre_seed", {}, {"pre seed", "preseed", "idea stage"}},
        {"seed", {}, {"seed", "seed stage", "seed funded"}},
        {"series_a", {}, {"series a"}},
        {"growth", {}, {"growth stage", "series b", "series c", "series d", "scaleup", "scale up"}},
        {"enterprise", {}, {"enterprise", "fortune 500", "public company", "nasdaq", "nyse"}}}},
      {"region",
       true,
       false,
       {{"north_america",
         {},
         {"usa", "united states", "america", "canada", "sf", "san francisco", "nyc", "new york", "toronto", "seattle",
          "austin", "boston", "los angeles", "chicago", "vancouver"}},
        {"europe",
         {},
         {"europe", "uk", "london", "berlin", "paris", "amsterdam", "germany", "france", "spain", "madrid", "lisbon",
          "stockholm", "dublin", "zurich", "eu"}},
        {"asia",
         {},
         {"asia", "india", "bangalore", "bengaluru", "singapore", "tokyo", "japan", "china", "seoul", "korea",
          "hong kong", "shanghai", "jakarta", "manila"}},
        {"latin_america",
         {},
         {"latam", "brazil", "mexico", "argentina", "colombia", "chile", "sao paulo", "buenos aires", "bogota"}},
        {"africa", {}, {"africa", "nigeria", "lagos", "kenya", "nairobi", "ghana", "cape town", "egypt"}},
        {"oceania", {}, {"australia", "sydney", "melbourne", "new zealand", "auckland"}},
        {"middle_east", {}, {"dubai", "uae", "israel", "tel aviv", "saudi", "riyadh", "qatar", "doha"}}}},
  };
}

bool label_names(const FilterLabel& label, const std::set<std::string, std::less<>>& said) {
  const auto named = [&](std::string_view term) { return said.contains(term); };
  if (std::ranges::any_of(label.terms, named)) return true;
  const auto* known = find_concept(label.concept_name);
  return known && std::ranges::any_of(known->terms, named);
}

/// The description's words and two-word phrases, each also without a plural "s".
std::set<std::string, std::less<>> said_in(std::string_view description) {
  std::set<std::string, std::less<>> said;
  const auto add = [&](const std::string& text) {
    said.insert(text);
    if (text.size() > 2 && text.back() == 's') said.insert(text.substr(0, text.size() - 1));
  };
  const auto all = words(description);
  for (std::size_t i = 0; i < all.size(); ++i) {
    add(all[i]);
    if (i + 1 < all.size()) add(all[i] + ' ' + all[i + 1]);
  }
  return said;
}

}  // namespace

std::map<std::string, std::vector<std::string>> suggest_search_filters(std::string_view description) {
  const auto said = said_in(description);
  std::map<std::string, std::vector<std::string>> filters;
  for (const auto& group : filter_groups()) {
    if (group.is_extension) continue;
    for (const auto& label : group.labels) {
      if (label_names(label, said)) filters[std::string(group.name)].emplace_back(label.label);
    }
  }
  return filters;
}

const std::vector<FilterGroup>& filter_groups() {
  static const std::vector<FilterGroup> kGroups = [] {
    auto groups = original_groups();
    std::ranges::move(extension_groups(), std::back_inserter(groups));
    return groups;
  }();
  return kGroups;
}

const FilterGroup* find_filter_group(std::string_view name) {
  const auto& groups = filter_groups();
  const auto found = std::ranges::find(groups, name, &FilterGroup::name);
  return found == groups.end() ? nullptr : &*found;
}

const FilterLabel* find_filter_label(const FilterGroup& group, std::string_view label) {
  const auto found = std::ranges::find(group.labels, label, &FilterLabel::label);
  return found == group.labels.end() ? nullptr : &*found;
}

const std::vector<FollowerCountTier>& follower_count_tiers() {
  static const std::vector<FollowerCountTier> kTiers{
      {"0_to_1k", "0-1k", 0, 1'000},
      {"1k_to_10k", "1k-10k", 1'000, 10'000},
      {"10k_to_100k", "10k-100k", 10'000, 100'000},
      {"100k_to_1m", "100k-1m", 100'000, 1'000'000},
      {"1m_plus", "1m+", 1'000'000, std::nullopt},
  };
  return kTiers;
}

const FollowerCountTier* find_follower_count_tier(std::string_view value) {
  const auto& tiers = follower_count_tiers();
  const auto found =
      std::ranges::find_if(tiers, [&](const auto& tier) { return tier.value == value || tier.alias == value; });
  return found == tiers.end() ? nullptr : &*found;
}

bool within_follower_count_tiers(const std::vector<std::string>& tiers, std::int64_t followers) {
  if (tiers.empty()) return true;
  return std::ranges::any_of(tiers, [&](const std::string& value) {
    const auto* tier = find_follower_count_tier(value);
    return tier != nullptr && followers >= tier->min && (!tier->max || followers < *tier->max);
  });
}

}  // namespace leadstream::domain
