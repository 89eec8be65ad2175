#include "adapters/sources/synthetic_source.hpp"

#include <array>
#include <charconv>
#include <string_view>

namespace leadstream::adapters::sources {
namespace {

/// SplitMix64: the same numbers on every platform, unlike the standard distributions.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t seed_of(std::string_view handle) {
  std::uint64_t seed = 1469598103934665603ULL;  // FNV-1a over the lower-cased handle
  for (const char c : handle) {
    seed ^= static_cast<unsigned char>(std::tolower(static_cast<unsigned char>(c)));
    seed *= 1099511628211ULL;
  }
  return seed % 1'000'000'000'000ULL + 1'000'000;
}

template <std::size_t N>
std::string_view pick(const std::array<std::string_view, N>& options, std::uint64_t& state) {
  state = mix(state);
  return options[state % N];
}

constexpr std::array<std::string_view, 24> kRoles{"Founder & CEO",
                                                  "Co-founder",
                                                  "CTO and co-founder",
                                                  "Software engineer",
                                                  "Staff engineer",
                                                  "Product designer",
                                                  "Head of Marketing",
                                                  "VP Marketing",
                                                  "Growth marketer",
                                                  "Partner",
                                                  "Angel investor",
                                                  "Investor",
                                                  "Technical recruiter",
                                                  "Developer advocate",
                                                  "Data scientist",
                                                  "PhD student",
                                                  "Writer",
                                                  "Photographer",
                                                  "Nurse",
                                                  "Teacher",
                                                  "Sales lead",
                                                  "Account executive",
                                                  "Indie hacker",
                                                  "Product manager"};
constexpr std::array<std::string_view, 16> kCompanies{"Nimbus",   "Quill",  "Arcadia", "Lumen",  "Foundry", "Northwind",
                                                      "Parallax", "Tandem", "Helix",   "Orbit",  "Juniper", "Cobalt",
                                                      "Meridian", "Sable",  "Vantage", "Kestrel"};
constexpr std::array<std::string_view, 5> kSuffixes{" AI", " Labs", "", " HQ", " Capital"};
constexpr std::array<std::string_view, 20> kTopics{"Building AI agents for developers",
                                                   "LLM evals for engineering teams",
                                                   "Payments infrastructure for SaaS",
                                                   "B2B SaaS growth and demand gen",
                                                   "Open-source developer tools",
                                                   "Writing first checks into fintech",
                                                   "DTC skincare brand",
                                                   "Climate tech",
                                                   "Healthcare analytics",
                                                   "Web3 gaming",
                                                   "Hiring engineers for startups",
                                                   "Design systems and UX",
                                                   "Machine learning for logistics",
                                                   "Seed investing in AI infrastructure",
                                                   "Content marketing for B2B",
                                                   "Shipping side projects",
                                                   "Teaching kids to code",
                                                   "Landscape photography",
                                                   "Real estate",
                                                   "Coffee and long runs"};
constexpr std::array<std::string_view, 12> kExtras{"Ex-Google.",
                                                   "Dad of two.",
                                                   "Runner.",
                                                   "Opinions my own.",
                                                   "Building in public.",
                                                   "Previously @stripe.",
                                                   "YC W23.",
                                                   "Based in Berlin.",
                                                   "NYC.",
                                                   "",
                                                   "",
                                                   "Views are mine."};
constexpr std::array<std::string_view, 10> kCities{"San Francisco, CA", "New York",   "London",    "Berlin", "Paris",
                                                   "Toronto",           "Austin, TX", "Bangalore", "",       ""};

}  // namespace

domain::FollowerProfile SyntheticFollowerSource::follower(std::uint64_t account_seed, int index) {
  std::uint64_t state = mix(account_seed * 1'000'003ULL + static_cast<std::uint64_t>(index));
  domain::FollowerProfile profile;
  const auto id = account_seed * 10'000'000ULL + static_cast<std::uint64_t>(index);
  profile.x_user_id = std::to_string(id);
  profile.handle = "user" + std::to_string(id % 100'000'000ULL);
  profile.display_name = std::string(pick(kCompanies, state)) + " " + std::to_string(index);
  state = mix(state);
  const auto kind = state % 10;
  profile.followers_count = static_cast<std::int64_t>(mix(state) % 20'000);
  profile.following_count = static_cast<std::int64_t>(mix(state + 1) % 2'000);
  profile.tweet_count = static_cast<std::int64_t>(mix(state + 2) % 30'000);
  profile.location = std::string(pick(kCities, state));
  if (kind == 0) {  // a bot: no bio, default picture, follows everyone
    profile.default_profile_image = true;
    profile.following_count = 4'000 + profile.following_count;
    profile.followers_count %= 20;
    profile.tweet_count = 0;
    return profile;
  }
  profile.bio = std::string(pick(kRoles, state)) + " @ " + std::string(pick(kCompanies, state)) +
                std::string(pick(kSuffixes, state)) + ". " + std::string(pick(kTopics, state)) + ". " +
                std::string(pick(kExtras, state));
  profile.url = "https://example.com/" + profile.handle;
  profile.profile_image_url = "https://pbs.example.com/" + profile.x_user_id + ".jpg";
  profile.verified = kind == 9;
  return profile;
}

domain::Result<domain::ResolvedHandle> SyntheticFollowerSource::resolve(std::string_view handle) {
  return domain::ResolvedHandle{std::string(handle), std::to_string(seed_of(handle)), std::nullopt,
                                followers_per_account_, 1'000};
}

domain::Result<domain::FollowerPage> SyntheticFollowerSource::followers(const std::string& x_user_id,
                                                                        const std::optional<std::string>& cursor,
                                                                        int max_results) {
  std::uint64_t seed = 0;
  if (std::from_chars(x_user_id.data(), x_user_id.data() + x_user_id.size(), seed).ec != std::errc{}) {
    return domain::Error{domain::ErrorCode::kHandleNotFound, "no such synthetic user: " + x_user_id};
  }
  int offset = 0;  // followers already listed, newest first
  if (cursor && std::from_chars(cursor->data(), cursor->data() + cursor->size(), offset).ec != std::errc{}) {
    return domain::Error{domain::ErrorCode::kUpstream, "invalid pagination cursor"};
  }
  domain::FollowerPage page;
  const int end = std::min(followers_per_account_, offset + max_results);
  for (int position = offset; position < end; ++position) {
    page.followers.push_back(follower(seed, followers_per_account_ - 1 - position));
  }
  if (end < followers_per_account_) page.next_cursor = std::to_string(end);
  return page;
}

}  // namespace leadstream::adapters::sources
