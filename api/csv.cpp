#include "api/csv.hpp"

#include <array>

#include "domain/model/time.hpp"

namespace leadstream::api::csv {
namespace {

std::string record(const std::vector<std::string>& fields) {
  std::string out;
  for (const auto& value : fields) {
    if (!out.empty()) out += ',';
    out += field(value);
  }
  out += "\r\n";
  return out;
}

std::string joined(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& value : values) {
    if (!out.empty()) out += "; ";
    out += value;
  }
  return out;
}

}  // namespace

std::string field(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string lead_header() {
  return record({"id",      "streamId",      "trackedXAccountId", "segmentId",    "matchConfidence",
                 "score",   "lifecycle",     "sourceType",        "discoveredAt", "exportedAt",
                 "xUserId", "handle",        "displayName",       "bio",          "location",
                 "url",     "followerCount", "followingCount",    "verified",     "profileImageUrl",
                 "reasons", "feedback"});
}

std::string lead_record(const domain::Lead& lead) {
  const auto& p = lead.profile;
  std::array<char, 16> score{};
  std::snprintf(score.data(), score.size(), "%.3f", lead.score);
  return record({std::to_string(lead.id.value),
                 std::to_string(lead.stream_id.value),
                 std::to_string(lead.account_id.value),
                 std::to_string(lead.segment_id.value),
                 std::string(domain::to_string(lead.confidence)),
                 score.data(),
                 lead.lifecycle,
                 lead.source_type,
                 domain::format_rfc3339_us(lead.discovered_at),
                 lead.exported_at ? domain::format_rfc3339(*lead.exported_at) : "",
                 p.x_user_id,
                 p.handle,
                 p.display_name,
                 p.bio,
                 p.location,
                 p.url,
                 std::to_string(p.followers_count),
                 std::to_string(p.following_count),
                 p.verified ? "true" : "false",
                 p.profile_image_url,
                 joined(lead.reasons),
                 lead.feedback ? (lead.feedback->good ? "good" : "bad") : ""});
}

}  // namespace leadstream::api::csv
