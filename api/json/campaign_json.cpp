#include "api/json/campaign_json.hpp"

#include <boost/json.hpp>

#include "api/json/body_reader.hpp"
#include "domain/model/time.hpp"
#include "domain/rules/segment_rules.hpp"
#include "domain/rules/segment_structure.hpp"
#include "domain/rules/segment_vocabulary.hpp"

namespace leadstream::api::json {
namespace {

namespace bj = boost::json;

template <class T>
bj::value nullable(const std::optional<T>& value) {
  if (!value) return nullptr;
  return bj::value_from(*value);
}

bj::value time_or_null(const std::optional<domain::Timestamp>& time) {
  if (!time) return nullptr;
  return bj::value(domain::format_rfc3339(*time));
}

std::optional<std::map<std::string, std::vector<std::string>>> read_filters(BodyReader& reader) {
  const auto* filters = reader.value("appliedSearchFilters");
  if (!filters || filters->is_null()) return std::nullopt;
  std::map<std::string, std::vector<std::string>> out;
  std::vector<domain::FieldProblem> problems;
  if (const auto* groups = filters->if_object()) {
    for (const auto& [group, labels] : *groups) {
      BodyReader group_reader(*filters, problems);
      auto values = group_reader.strings(group);
      if (values) out.emplace(std::string(group), std::move(*values));
    }
  }
  if (!filters->is_object() || !problems.empty()) {
    reader.problem("appliedSearchFilters", "must map filter groups to arrays of labels");
    return std::nullopt;
  }
  return out;
}

domain::SegmentDraft read_segment(BodyReader& reader) {
  domain::SegmentDraft draft;
  draft.description = reader.string("description", /*required=*/true).value_or("");
  draft.name = reader.string("name");
  draft.gender_values = reader.strings("genderValues").value_or(std::vector<std::string>{});
  draft.applied_search_filters = read_filters(reader).value_or(std::map<std::string, std::vector<std::string>>{});
  draft.follower_count_tiers = reader.strings("followerCountTiers").value_or(std::vector<std::string>{});
  draft.keywords = reader.strings("keywords").value_or(std::vector<std::string>{});
  draft.exclude_keywords = reader.strings("excludeKeywords").value_or(std::vector<std::string>{});
  return draft;
}

void read_account_ref(BodyReader& reader, domain::AccountRef& ref) {
  if (auto id = reader.id("accountId")) {
    ref.id = domain::AccountId{*id};
    return;
  }
  ref.handle = reader.string("accountHandle").value_or("");
  if (ref.handle.empty()) reader.problem("accountHandle", "accountId or accountHandle is required");
  if (auto tier = reader.string("accountTier")) {
    ref.tier = domain::parse_tier(*tier);
    if (!ref.tier) reader.problem("accountTier", "must be starter, growth or pro");
  }
}

void read_segment_ref(BodyReader& reader, std::vector<domain::FieldProblem>& problems, domain::SegmentRef& ref) {
  if (auto id = reader.id("segmentId")) {
    ref.id = domain::SegmentId{*id};
    return;
  }
  const auto* segment = reader.value("segment");
  if (!segment || segment->is_null()) {
    reader.problem("segment", "segmentId or segment is required");
    return;
  }
  BodyReader segment_reader(*segment, problems, reader.path_of("segment."));
  ref.draft = read_segment(segment_reader);
}

std::vector<domain::PairRequest> read_pairs(BodyReader& reader, std::vector<domain::FieldProblem>& problems) {
  std::vector<domain::PairRequest> pairs;
  const auto* value = reader.value("pairs");
  if (!value || !value->is_array()) {
    reader.problem("pairs", "is required: an array of {account, segment} pairs");
    return pairs;
  }
  for (std::size_t i = 0; i < value->get_array().size(); ++i) {
    BodyReader pair_reader(value->get_array()[i], problems, "pairs[" + std::to_string(i) + "].");
    domain::PairRequest pair;
    read_account_ref(pair_reader, pair.account);
    read_segment_ref(pair_reader, problems, pair.segment);
    pairs.push_back(std::move(pair));
  }
  return pairs;
}

std::optional<domain::CsvRecipients> read_recipients(BodyReader& reader, std::vector<domain::FieldProblem>& problems) {
  const auto* value = reader.value("csvEmailRecipients");
  if (!value || value->is_null()) return std::nullopt;
  BodyReader recipients(*value, problems, "csvEmailRecipients.");
  if (auto format = recipients.string("format"); format && *format != "csv")
    recipients.problem("format", "must be csv");
  return domain::CsvRecipients{recipients.strings("to").value_or(std::vector<std::string>{}),
                               recipients.strings("cc").value_or(std::vector<std::string>{})};
}

domain::StreamSettings read_settings(BodyReader& reader, std::vector<domain::FieldProblem>& problems) {
  domain::StreamSettings s;
  s.name = reader.string("name").value_or("");
  s.sync_times = reader.strings("syncTimes").value_or(std::vector<std::string>{});
  s.timezone = reader.string("timezone").value_or("UTC");
  if (const auto* schedule = reader.value("schedule"); schedule && !schedule->is_null()) {
    BodyReader schedule_reader(*schedule, problems, "schedule.");
    s.cron = schedule_reader.string("cron", /*required=*/true);
  }
  s.auto_enrich_linkedin = reader.boolean("autoEnrichLinkedin").value_or(false);
  s.auto_enrich_email = reader.boolean("autoEnrichEmail").value_or(false);
  s.email_mode = reader.string("emailMode").value_or("any");
  s.email_digest_override = reader.string("emailDigestOverride");
  s.telegram_override = reader.boolean("telegramOverride");
  s.delivery_destination = reader.string("deliveryDestination").value_or("leads_only");
  s.webhook_url = reader.outbound_url("webhookUrl");
  s.csv_email_recipients = read_recipients(reader, problems);
  return s;
}

bj::value billing_json(const std::optional<domain::BillingDelta>& delta) {
  if (!delta) return nullptr;
  return to_json(*delta);
}

/// A field of PATCH: absent -> nullopt; null -> a cleared value, when `nullable`.
template <class T, class Read>
std::optional<T> patched(BodyReader& reader, std::string_view field, Read read) {
  if (!reader.present(field)) return std::nullopt;
  if (reader.is_null(field)) {
    reader.problem(field, "must not be null");
    return std::nullopt;
  }
  return read(field);
}

template <class T, class Read>
std::optional<std::optional<T>> patched_nullable(BodyReader& reader, std::string_view field, Read read) {
  std::optional<std::optional<T>> patched;
  if (!reader.present(field)) return patched;
  if (reader.is_null(field)) {
    patched.emplace();  // cleared (built in place: GCC 12 warns of a moved empty optional<bool>)
    return patched;
  }
  auto value = read(field);
  if (value) patched.emplace(std::move(*value));  // else a type problem was recorded
  return patched;
}

bj::value account_outcomes_json(const std::vector<domain::AccountOutcome>& outcomes) {
  bj::array accounts;
  for (const auto& a : outcomes) {
    accounts.push_back({{"handle", a.handle},
                        {"accountId", a.id.value},
                        {"accountCreated", a.created},
                        {"billingDelta", billing_delta_json(a.billing_delta)},
                        {"billing", billing_json(a.billing_delta)}});
  }
  return accounts;
}

bj::value segment_outcomes_json(const std::vector<domain::SegmentOutcome>& outcomes) {
  bj::array segments;
  for (const auto& s : outcomes) segments.push_back({{"segmentId", s.id.value}, {"segmentCreated", s.created}});
  return segments;
}

}  // namespace

domain::Result<domain::StreamPatch> parse_stream_patch(const bj::value& body) {
  std::vector<domain::FieldProblem> problems;
  BodyReader reader(body, problems);
  domain::StreamPatch p;
  const auto text = [&](std::string_view f) { return reader.string(f); };
  const auto flag = [&](std::string_view f) { return reader.boolean(f); };
  p.name = patched<std::string>(reader, "name", text);
  p.sync_times = patched<std::vector<std::string>>(reader, "syncTimes", [&](auto f) { return reader.strings(f); });
  p.timezone = patched<std::string>(reader, "timezone", text);
  p.cron = patched_nullable<std::string>(reader, "schedule", [&](std::string_view) -> std::optional<std::string> {
    BodyReader schedule(*reader.value("schedule"), problems, "schedule.");
    return schedule.string("cron", /*required=*/true);
  });
  p.auto_enrich_linkedin = patched<bool>(reader, "autoEnrichLinkedin", flag);
  p.auto_enrich_email = patched<bool>(reader, "autoEnrichEmail", flag);
  p.email_mode = patched<std::string>(reader, "emailMode", text);
  p.email_digest_override = patched_nullable<std::string>(reader, "emailDigestOverride", text);
  p.telegram_override = patched_nullable<bool>(reader, "telegramOverride", flag);
  p.delivery_destination = patched<std::string>(reader, "deliveryDestination", text);
  p.webhook_url = patched_nullable<std::string>(reader, "webhookUrl",
                                                [&](std::string_view field) { return reader.outbound_url(field); });
  p.csv_email_recipients = patched_nullable<domain::CsvRecipients>(
      reader, "csvEmailRecipients", [&](std::string_view) { return read_recipients(reader, problems); });
  p.is_active = patched<bool>(reader, "isActive", flag);
  p.is_archived = patched<bool>(reader, "isArchived", flag);
  if (reader.present("pairs")) p.pairs = read_pairs(reader, problems);
  if (auto ok = verdict(std::move(problems), "The stream change is not valid."); !ok) return ok.error();
  return p;
}

domain::Result<domain::SegmentDraft> parse_segment(const bj::value& body) {
  std::vector<domain::FieldProblem> problems;
  BodyReader reader(body, problems);
  auto draft = read_segment(reader);
  if (auto ok = verdict(std::move(problems), "The segment is not valid."); !ok) return ok.error();
  return draft;
}

domain::Result<domain::StreamRequest> parse_stream_request(const bj::value& body) {
  std::vector<domain::FieldProblem> problems;
  BodyReader reader(body, problems);
  domain::StreamRequest request{read_settings(reader, problems), read_pairs(reader, problems)};
  if (auto ok = verdict(std::move(problems), "The stream is not valid."); !ok) return ok.error();
  return request;
}

/// How the classifier reads the segment (ext), so that a user sees how their words were
/// understood, and corrects it through keywords and excludeKeywords.
bj::value structure_json(const domain::Segment& segment) {
  const auto& d = segment.draft;
  const auto structure = domain::parse_segment_structure(domain::SegmentTerms{
      segment.id, d.description, d.keywords, d.exclude_keywords, d.applied_search_filters, d.follower_count_tiers});
  return {{"roles", bj::value_from(structure.roles)},
          {"topics", bj::value_from(structure.topics)},
          {"qualifiers", bj::value_from(structure.qualifiers)},
          {"excluded", bj::value_from(structure.excluded)}};
}

bj::value to_json(const domain::Segment& segment) {
  const auto& d = segment.draft;
  return {{"id", segment.id.value},
          {"userFacingId", "seg_" + std::to_string(segment.id.value)},
          {"name", nullable(d.name)},
          {"description", d.description},
          {"genderValues", bj::value_from(d.gender_values)},
          {"appliedSearchFilters", bj::value_from(d.applied_search_filters)},
          {"followerCountTiers", bj::value_from(d.follower_count_tiers)},
          {"linkedStreamCount", segment.linked_stream_count},
          {"createdAt", domain::format_rfc3339(segment.created_at)},
          {"updatedAt", domain::format_rfc3339(segment.updated_at)},
          {"keywords", bj::value_from(d.keywords)},
          {"excludeKeywords", bj::value_from(d.exclude_keywords)},
          {"structure", structure_json(segment)}};
}

bj::value billing_delta_json(const std::optional<domain::BillingDelta>& delta) {
  if (!delta || delta->change == 0) return nullptr;
  return delta->change > 0 ? "stripe_quantity_incremented" : "stripe_quantity_decremented";
}

bj::value segment_vocabulary_json() {
  bj::array groups;
  for (const auto& group : domain::filter_groups()) {
    bj::array labels;
    for (const auto& label : group.labels) labels.emplace_back(label.label);
    groups.push_back({{"group", group.name}, {"ext", group.is_extension}, {"labels", std::move(labels)}});
  }
  bj::array tiers;
  for (const auto& tier : domain::follower_count_tiers()) {
    tiers.push_back({{"value", tier.value},
                     {"alias", tier.alias},
                     {"minFollowers", tier.min},
                     {"maxFollowers", tier.max ? bj::value(*tier.max - 1) : bj::value(nullptr)}});
  }
  return {{"appliedSearchFilters", std::move(groups)},
          {"followerCountTiers", std::move(tiers)},
          {"genderValues", bj::value_from(domain::known_gender_values())}};
}

bj::value to_json(const domain::TrackedAccount& a) {
  bj::array segment_ids;
  for (const auto& id : a.assigned_segment_ids) segment_ids.push_back(id.value);
  std::optional<std::string> pending;
  if (a.pending_tier) pending = std::string(domain::to_string(*a.pending_tier));
  return {{"id", a.id.value},
          {"xHandle", a.display_handle},
          {"tier", domain::to_string(a.tier)},
          {"isActive", a.is_active},
          {"profileImageUrl", nullable(a.profile_image_url)},
          {"lastKnownFollowerCount", nullable(a.last_known_follower_count)},
          {"lastKnownTweetCount", nullable(a.last_known_tweet_count)},
          {"tags", bj::value_from(a.tags)},
          {"addedAt", domain::format_rfc3339(a.added_at)},
          {"assignedSegmentIds", std::move(segment_ids)},
          {"pendingTier", nullable(pending)},
          {"pendingTierEffectiveAt", time_or_null(a.pending_tier_effective_at)},
          {"xUserId", nullable(a.x_user_id)},
          {"lastSyncedAt", time_or_null(a.last_synced_at)},
          {"billingStatus", a.billing_status},
          {"billingError", nullable(a.billing_error)}};
}

bj::value to_json(const domain::Stream& stream) {
  const auto& s = stream.settings;
  bj::array pairs;
  for (const auto& p : stream.pairs) {
    pairs.push_back({{"pairId", p.pair_id},
                     {"accountId", p.account_id.value},
                     {"xHandle", p.handle},
                     {"tier", domain::to_string(p.tier)},
                     {"segmentId", p.segment_id.value},
                     {"segmentName", nullable(p.segment_name)}});
  }
  bj::value recipients = nullptr;
  if (s.csv_email_recipients) {
    recipients = {{"to", bj::value_from(s.csv_email_recipients->to)},
                  {"cc", bj::value_from(s.csv_email_recipients->cc)},
                  {"format", "csv"}};
  }
  bj::value schedule = nullptr;
  if (s.cron) schedule = {{"cron", *s.cron}};
  return {{"id", stream.id.value},
          {"name", s.name},
          {"pairs", std::move(pairs)},
          {"syncTimes", bj::value_from(s.sync_times)},
          {"timezone", s.timezone},
          {"autoEnrichLinkedin", s.auto_enrich_linkedin},
          {"autoEnrichEmail", s.auto_enrich_email},
          {"emailMode", s.email_mode},
          {"emailDigestOverride", nullable(s.email_digest_override)},
          {"telegramOverride", nullable(s.telegram_override)},
          {"deliveryDestination", s.delivery_destination},
          {"webhookUrl", nullable(s.webhook_url)},
          {"csvEmailRecipients", std::move(recipients)},
          {"isActive", s.is_active},
          {"isArchived", stream.is_archived},
          {"createdAt", domain::format_rfc3339(stream.created_at)},
          {"updatedAt", domain::format_rfc3339(stream.updated_at)},
          {"schedule", std::move(schedule)},
          {"nextRunAt", time_or_null(stream.next_run_at)},
          {"lastRunAt", time_or_null(stream.last_run_at)}};
}

bj::value to_json(const domain::BillingDelta& delta) {
  return {{"tier", domain::to_string(delta.tier)},
          {"change", delta.change},
          {"quantity", delta.quantity},
          {"effective", delta.effect == domain::BillingEffect::kNow ? "now" : "period_end"}};
}

bj::value to_json(const domain::StreamCreated& created) {
  return {{"id", created.id.value},
          {"accounts", account_outcomes_json(created.accounts)},
          {"segments", segment_outcomes_json(created.segments)}};
}

bj::value to_json(const domain::StreamPatched& patched) {
  bj::object body{{"id", patched.id.value}};
  if (patched.pairs_diff) {
    body["pairsDiff"] = {{"addedAccounts", account_outcomes_json(patched.pairs_diff->added_accounts)},
                         {"addedSegments", segment_outcomes_json(patched.pairs_diff->added_segments)},
                         {"removedPairs", bj::value_from(patched.pairs_diff->removed_pairs)}};
  }
  return body;
}

}  // namespace leadstream::api::json
