#include "api/json/run_json.hpp"

#include <boost/json.hpp>

#include "api/errors.hpp"
#include "domain/model/time.hpp"

namespace leadstream::api::json {
namespace {

namespace bj = boost::json;

bj::value time_or_null(const std::optional<domain::Timestamp>& time) {
  if (!time) return nullptr;
  return bj::value(domain::format_rfc3339(*time));
}

bj::array progress_of(const std::vector<domain::ProgressEntry>& log) {
  bj::array entries;
  for (const auto& entry : log) {
    entries.push_back(
        {{"step", entry.step}, {"message", entry.message}, {"timestamp", domain::format_rfc3339(entry.at)}});
  }
  return entries;
}

bj::value feedback_json(const std::optional<domain::LeadFeedback>& feedback) {
  if (!feedback) return nullptr;
  bj::value reason = nullptr, freeform = nullptr;
  if (feedback->bad_reason) reason = *feedback->bad_reason;
  if (feedback->bad_reason_freeform) freeform = *feedback->bad_reason_freeform;
  return {{"status", feedback->good ? "good" : "bad"},
          {"badReason", reason},
          {"badReasonFreeform", freeform},
          {"segmentId", feedback->segment_id.value},
          {"at", domain::format_rfc3339(feedback->at)}};
}

/// What the run's classifying cost at a remote model (ext): all zero with the local one.
bj::object usage_of(const domain::ClassifierUsage& usage) {
  return {{"requests", usage.requests},
          {"promptTokens", usage.prompt_tokens},
          {"completionTokens", usage.completion_tokens},
          {"cachedProfiles", usage.cached_profiles},
          {"fallbackProfiles", usage.fallback_profiles}};
}

}  // namespace

bj::value to_json(const domain::Run& run) {
  const auto& c = run.counters;
  bj::value segment_id = nullptr;
  if (run.segment_id) segment_id = run.segment_id->value;
  bj::value segment_name = nullptr;
  if (run.segment_name) segment_name = *run.segment_name;
  bj::value error = nullptr;
  if (run.error_message) error = *run.error_message;
  return {{"id", run.id.value},
          {"streamId", run.stream_id.value},
          {"streamName", run.stream_name},
          {"trackedXAccountId", run.account_id.value},
          {"xHandle", run.handle},
          {"segmentId", std::move(segment_id)},
          {"segmentName", std::move(segment_name)},
          {"source", domain::to_string(run.source)},
          {"status", domain::to_string(run.status)},
          {"mode", run.mode == domain::RunMode::kSync ? "sync-then-search" : "re-test"},
          {"triggeredAt", domain::format_rfc3339(run.triggered_at)},
          {"startedAt", time_or_null(run.started_at)},
          {"completedAt", time_or_null(run.completed_at)},
          {"newFollowersCount", c.new_followers},
          {"candidatesPassedCount", c.candidates_passed},
          {"highFitCount", c.high_fit},
          {"mediumFitCount", c.medium_fit},
          {"enrichedCount", c.enriched},
          {"leadsCreated", c.leads_created},
          {"apiCalls", c.api_calls},
          {"followersWalked", c.followers_walked},
          {"attempt", run.attempt},
          {"errorMessage", std::move(error)},
          {"progressLog", progress_of(run.progress_log)},
          {"classifierUsage", usage_of(run.classifier_usage)}};
}

bj::value enrichment_json(const std::optional<domain::Enrichment>& enrichment) {
  if (!enrichment) return nullptr;
  const auto& e = *enrichment;
  bj::value linkedin = nullptr, linkedin_confidence = nullptr, email = nullptr, status = nullptr, provider = nullptr;
  if (e.linkedin) linkedin = bj::value(e.linkedin->url), linkedin_confidence = e.linkedin->confidence;
  if (e.email)
    email = bj::value(e.email->address), status = bj::value(e.email->status), provider = bj::value(e.email->provider);
  return {{"linkedinUrl", std::move(linkedin)},
          {"linkedinConfidence", std::move(linkedin_confidence)},
          {"email", std::move(email)},
          {"emailStatus", std::move(status)},
          {"emailProvider", std::move(provider)},
          {"phone", e.phone ? bj::value(*e.phone) : bj::value(nullptr)},
          {"enrichedAt", time_or_null(e.enriched_at)}};
}

bj::value to_json(const domain::Lead& lead) {
  const auto& p = lead.profile;
  return {{"id", lead.id.value},
          {"streamId", lead.stream_id.value},
          {"trackedXAccountId", lead.account_id.value},
          {"segmentId", lead.segment_id.value},
          {"matchConfidence", domain::to_string(lead.confidence)},
          {"sourceType", lead.source_type},
          {"discoveredAt", domain::format_rfc3339_us(lead.discovered_at)},
          {"exportedAt", time_or_null(lead.exported_at)},
          {"lifecycle", lead.lifecycle},
          {"score", lead.score},
          {"reasons", bj::value_from(lead.reasons)},
          {"feedback", feedback_json(lead.feedback)},
          {"enrichment", enrichment_json(lead.enrichment)},
          {"profile",
           {{"xUserId", p.x_user_id},
            {"handle", p.handle},
            {"displayName", p.display_name},
            {"profileImageUrl", p.profile_image_url},
            {"followerCount", p.followers_count},
            {"bio", p.bio},
            {"location", p.location},
            {"url", p.url},
            {"followingCount", p.following_count},
            {"verified", p.verified}}}};
}

// The original's docs name the account `accountId` and the run `syncRunId`, for run and
// re-test alike ("the same shape"); API.md's `trackedAccountId` (and re-test's `runId`)
// stay beside them, so clients of either read what they expect.

bj::value to_json(const domain::RunRequested& requested) {
  bj::array queued;
  for (const auto& run : requested.queued) {
    queued.push_back({{"accountId", run.account_id.value},
                      {"trackedAccountId", run.account_id.value},
                      {"syncRunId", run.run_id.value}});
  }
  bj::array skipped;
  for (const auto& skip : requested.skipped) {
    skipped.push_back({{"accountId", skip.account_id.value},
                       {"trackedAccountId", skip.account_id.value},
                       {"reason", api::skip_reason_name(skip.reason)}});
  }
  return {{"queued", std::move(queued)}, {"skipped", std::move(skipped)}};
}

bj::value to_json(const domain::RetestRequested& requested) {
  bj::array queued;
  for (const auto& run : requested.queued) {
    queued.push_back({{"accountId", run.account_id.value},
                      {"syncRunId", run.run_id.value},
                      {"pairId", run.pair_id},
                      {"trackedAccountId", run.account_id.value},
                      {"segmentId", run.segment_id.value},
                      {"runId", run.run_id.value}});
  }
  bj::array skipped;
  for (const auto& skip : requested.skipped) {
    skipped.push_back({{"accountId", skip.account_id.value},
                       {"pairId", skip.pair_id},
                       {"trackedAccountId", skip.account_id.value},
                       {"reason", api::skip_reason_name(skip.reason)}});
  }
  return {{"queued", std::move(queued)}, {"skipped", std::move(skipped)}};
}

// API.md's enrich answer, snake_case as in the original: the result for what was asked,
// and every route to the person known now.
/// An enrich answer's `result`: what was asked for and found.
bj::value result_json(const domain::EnrichWants& wants, const domain::Enrichment& e, const std::string& kind) {
  bj::value linkedin = nullptr, email = nullptr;
  if (wants.linkedin && domain::has_linkedin(e)) {
    linkedin = {{"url", e.linkedin->url}, {"confidence", e.linkedin->confidence}};
  }
  if (wants.email && domain::has_email(e, wants)) {
    email = {{"address", e.email->address}, {"status", e.email->status}, {"provider", e.email->provider}};
  }
  return {{"ok", kind != "not_found"}, {"kind", kind}, {"linkedin", std::move(linkedin)}, {"email", std::move(email)}};
}

bj::value to_json(const domain::LookupRecord& lookup) {
  const domain::EnrichOutcome outcome{.wants = lookup.wants, .enrichment = lookup.found};
  return {{"id", lookup.id},
          {"handle", lookup.handle},
          {"result", result_json(lookup.wants, lookup.found, outcome.kind())},
          {"creditsCharged", lookup.credits_charged},
          {"createdAt", domain::format_rfc3339(lookup.created_at)}};
}

bj::value to_json(const domain::EnrichOutcome& outcome) {
  const auto& e = outcome.enrichment;
  bj::array routes;
  if (e.linkedin) {
    routes.push_back({{"routeType", "linkedin"}, {"value", e.linkedin->url}, {"confidence", e.linkedin->confidence}});
  }
  if (e.email) {
    routes.push_back({{"routeType", "email"}, {"value", e.email->address}, {"confidence", e.email->confidence}});
  }
  if (e.phone) routes.push_back({{"routeType", "phone"}, {"value", *e.phone}, {"confidence", nullptr}});
  return {{"leadId", outcome.lead_id ? bj::value(outcome.lead_id->value) : bj::value(nullptr)},
          {"x_profile_id", outcome.x_user_id},
          {"result", result_json(outcome.wants, e, outcome.kind())},
          {"credits_remaining", outcome.credits_remaining},
          {"credits_charged", outcome.credits_charged},
          {"contact_routes", std::move(routes)}};
}

}  // namespace leadstream::api::json
