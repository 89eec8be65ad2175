#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/model/team.hpp"

namespace leadstream::domain {

struct FoundLinkedin {
  std::string url;  // https://www.linkedin.com/in/<slug>
  double confidence = 0;
  bool operator==(const FoundLinkedin&) const = default;
};

struct FoundEmail {
  std::string address;   // lower case
  std::string status;    // verified | unverified
  std::string provider;  // "profile" when read from the X profile, else the provider's name
  double confidence = 0;
  bool operator==(const FoundEmail&) const = default;
};

/// What enrichment knows of one person (an X user, per team).
struct Enrichment {
  std::optional<FoundLinkedin> linkedin;
  std::optional<FoundEmail> email;
  std::optional<std::string> phone;  // a direct number, when a provider gave one (ext)
  std::optional<Timestamp> enriched_at;

  bool found_anything() const { return linkedin || email || phone; }
  /// The same contacts, whenever they were found.
  bool same_contacts(const Enrichment& other) const {
    return linkedin == other.linkedin && email == other.email && phone == other.phone;
  }
};

/// What a caller asks enrichment for.
struct EnrichWants {
  bool linkedin = false;
  bool email = false;
  bool verified_email_only = false;  // emailMode verified: an unverified address does not count
};

/// Whether `enrichment` already answers `wants` for LinkedIn, and for email.
inline bool has_linkedin(const Enrichment& enrichment) { return enrichment.linkedin.has_value(); }
inline bool has_email(const Enrichment& enrichment, const EnrichWants& wants) {
  return enrichment.email && (!wants.verified_email_only || enrichment.email->status == "verified");
}

}  // namespace leadstream::domain
