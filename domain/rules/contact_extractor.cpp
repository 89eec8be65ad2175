#include "domain/rules/contact_extractor.hpp"

#include <algorithm>
#include <array>

#include "domain/rules/text.hpp"

namespace leadstream::domain {
namespace {

// How sure a find is: an address as written in a bio is the person's own words; one
// pieced together from "[at]" and "[dot]" may be pieced wrongly.
constexpr double kLinkedinInUrl = 0.95;
constexpr double kLinkedinInBio = 0.9;
constexpr double kEmailAsWritten = 0.9;
constexpr double kEmailDeobfuscated = 0.75;

bool is_ascii_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

/// LinkedIn slugs: letters, digits, '-', '_' and percent-encoded letters of other scripts.
bool is_slug_char(char c) { return is_ascii_alnum(c) || c == '-' || c == '_' || c == '%'; }

bool is_local_char(char c) { return is_ascii_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'; }

bool is_domain_char(char c) { return is_ascii_alnum(c) || c == '.' || c == '-'; }

/// "linkedin.com" at `at` is the host of a URL, not the end of "notlinkedin.com".
bool starts_host(std::string_view text, std::size_t at) {
  if (at == 0) return true;
  const char before = text[at - 1];
  return !is_ascii_alnum(before) && before != '-';
}

/// The address around the '@' at `at`, or empty: a local part and a dotted domain whose
/// last label is letters.
std::string address_at(std::string_view text, std::size_t at) {
  auto first = at;
  while (first > 0 && is_local_char(text[first - 1])) --first;
  auto last = at + 1;
  while (last < text.size() && is_domain_char(text[last])) ++last;
  auto local = text.substr(first, at - first);
  auto domain = text.substr(at + 1, last - at - 1);
  while (!local.empty() && local.front() == '.') local.remove_prefix(1);
  while (!domain.empty() && (domain.back() == '.' || domain.back() == '-')) domain.remove_suffix(1);
  const auto dot = domain.rfind('.');
  if (local.empty() || dot == std::string_view::npos || dot == 0 || domain.size() - dot - 1 < 2) return {};
  const auto tld = domain.substr(dot + 1);
  if (!std::ranges::all_of(tld, [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); })) return {};
  return lower(std::string(local) + "@" + std::string(domain));
}

/// `text` with "[at]", "(at)", "{at}", " at " between brackets and the like made '@', and
/// their "dot" forms '.'.
std::string deobfuscated(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kForms{{{" [at] ", "@"},
                                                                                         {" (at) ", "@"},
                                                                                         {"[at]", "@"},
                                                                                         {"(at)", "@"},
                                                                                         {"{at}", "@"},
                                                                                         {" [dot] ", "."},
                                                                                         {" (dot) ", "."},
                                                                                         {"[dot]", "."},
                                                                                         {"(dot)", "."},
                                                                                         {"{dot}", "."}}};
  auto out = lower(text);
  for (const auto& [form, replacement] : kForms) {
    for (auto at = out.find(form); at != std::string::npos; at = out.find(form, at + replacement.size())) {
      out.replace(at, form.size(), replacement);
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> find_linkedin_url(std::string_view text) {
  static constexpr std::string_view kHost = "linkedin.com/in/";
  const auto lowered = lower(text);
  for (auto at = lowered.find(kHost); at != std::string::npos; at = lowered.find(kHost, at + 1)) {
    if (!starts_host(lowered, at)) continue;
    const auto first = at + kHost.size();
    auto last = first;
    while (last < lowered.size() && is_slug_char(lowered[last])) ++last;
    const auto slug = std::string_view(lowered).substr(first, last - first);
    // LinkedIn's custom URLs are 3 to 100 characters.
    if (slug.size() < 3 || slug.size() > 100) continue;
    return "https://www.linkedin.com/in/" + std::string(slug);
  }
  return std::nullopt;
}

std::optional<std::string> find_email(std::string_view text, bool deobfuscate) {
  const auto plain = deobfuscate ? deobfuscated(text) : std::string(text);
  for (auto at = plain.find('@'); at != std::string::npos; at = plain.find('@', at + 1)) {
    if (auto address = address_at(plain, at); !address.empty()) return address;
  }
  return std::nullopt;
}

Enrichment extract_contacts(const FollowerProfile& profile) {
  Enrichment found;
  if (auto url = find_linkedin_url(profile.url)) {
    found.linkedin = FoundLinkedin{std::move(*url), kLinkedinInUrl};
  } else if (auto in_bio = find_linkedin_url(profile.bio)) {
    found.linkedin = FoundLinkedin{std::move(*in_bio), kLinkedinInBio};
  }
  for (const auto* text : {&profile.bio, &profile.url}) {
    if (found.email) break;
    if (auto address = find_email(*text, false)) {
      found.email = FoundEmail{std::move(*address), "unverified", "profile", kEmailAsWritten};
    } else if (auto pieced = find_email(*text, true)) {
      found.email = FoundEmail{std::move(*pieced), "unverified", "profile", kEmailDeobfuscated};
    }
  }
  return found;
}

}  // namespace leadstream::domain
