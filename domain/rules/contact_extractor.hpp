#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/model/enrichment.hpp"
#include "domain/model/sync.hpp"

namespace leadstream::domain {

/// What a profile itself says of how to reach its person: a LinkedIn profile URL and an
/// email address in its url or bio (X's t.co links already expanded), normalised, each
/// with a confidence. The first enrichment step, and free.
Enrichment extract_contacts(const FollowerProfile& profile);

/// The first LinkedIn profile URL in `text` ("linkedin.com/in/jane-doe", any scheme,
/// subdomain, trailing path or query) as https://www.linkedin.com/in/jane-doe; company
/// pages and short links are no person's profile.
std::optional<std::string> find_linkedin_url(std::string_view text);

/// The first email address in `text`, lower case; with `deobfuscate`, also written
/// "jane [at] acme [dot] com" or "jane(at)acme.com".
std::optional<std::string> find_email(std::string_view text, bool deobfuscate);

}  // namespace leadstream::domain
