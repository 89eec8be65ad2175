#pragma once

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <tuple>

#include "domain/ports/classifier.hpp"
#include "domain/ports/clock.hpp"
#include "domain/ports/follower_cache.hpp"
#include "domain/ports/lead_store.hpp"
#include "domain/ports/run_queue.hpp"
#include "domain/ports/run_reader.hpp"
#include "fakes/in_memory_campaigns.hpp"

namespace leadstream::fakes {

/// The run queue, follower cache and leads in memory, with the database's guarantees: one
/// open sync per (stream, account), one lead per (stream, segment, follower), writes
/// fenced by the lease owner. One object behind the three ports, as one database is
/// behind their adapters. Reads streams, accounts and segments from the campaigns fake.
class InMemoryRuns final : public domain::RunQueue,
                           public domain::FollowerCache,
                           public domain::RunReader,
                           public domain::LeadStore {
 public:
  InMemoryRuns(const InMemoryCampaigns& campaigns, const domain::Clock& clock) : campaigns_(campaigns), clock_(clock) {}

  struct StoredRun {
    domain::Run run;
    domain::Timestamp run_after;
    std::optional<std::string> owner;
    std::optional<domain::Timestamp> lease_expires_at;
    std::optional<std::string> cursor;
    std::optional<domain::Timestamp> slot_at;
    std::optional<std::int64_t> follower_count;
    bool full_walk = false;
  };

  std::vector<StoredRun> runs_;
  std::vector<domain::Lead> leads_;
  std::set<std::tuple<std::int64_t, std::int64_t, std::string>> processed_;           // stream, account, follower
  std::map<std::int64_t, std::string> x_user_ids_;                                    // account -> X user id
  std::map<std::int64_t, std::map<std::string, domain::FollowerProfile>> followers_;  // the cache, per account
  std::map<std::pair<std::int64_t, std::string>, domain::Enrichment> enrichments_;    // team, X user id

  // domain::RunQueue
  domain::Result<domain::Enqueued> enqueue(const domain::RunOrder& order) override {
    std::lock_guard lock(mutex_);
    if (order.budget) {
      const auto spent = std::ranges::count_if(runs_, [&](const StoredRun& r) {
        return r.run.account_id == order.account_id && r.run.mode == order.mode &&
               r.run.status != domain::RunStatus::kFailed && r.run.triggered_at >= order.budget->since;
      });
      if (spent >= order.budget->cap) return domain::Enqueued{.over_budget = true};
    }
    const bool taken = std::ranges::any_of(runs_, [&](const StoredRun& r) {
      const bool same_pair = r.run.stream_id == order.stream_id && r.run.account_id == order.account_id;
      const bool open_sync =
          order.mode == domain::RunMode::kSync && r.run.mode == domain::RunMode::kSync && is_open(r.run.status);
      return same_pair && ((order.slot_at && r.slot_at == order.slot_at) || open_sync);
    });
    if (taken) return domain::Enqueued{};
    StoredRun stored;
    stored.run.id = domain::RunId{static_cast<std::int64_t>(runs_.size()) + 1};
    stored.run.team_id = order.team_id;
    stored.run.stream_id = order.stream_id;
    stored.run.account_id = order.account_id;
    stored.run.source = order.source;
    stored.run.mode = order.mode;
    stored.run.segment_id = order.segment_id;
    stored.run.triggered_at = clock_.now();
    stored.run_after = clock_.now();
    stored.slot_at = order.slot_at;
    runs_.push_back(stored);
    return domain::Enqueued{.id = stored.run.id};
  }

  domain::Result<bool> has_open_run(domain::StreamId stream, domain::AccountId account) override {
    std::lock_guard lock(mutex_);
    return std::ranges::any_of(runs_, [&](const StoredRun& r) {
      return r.run.stream_id == stream && r.run.account_id == account && r.run.mode == domain::RunMode::kSync &&
             is_open(r.run.status);
    });
  }

  domain::Result<std::optional<domain::ClaimedRun>> claim(std::string_view owner, std::chrono::seconds lease) override {
    std::lock_guard lock(mutex_);
    const auto now = clock_.now();
    for (auto& stored : runs_) {
      const bool due = stored.run.status == domain::RunStatus::kQueued && stored.run_after <= now;
      const bool abandoned = stored.run.status == domain::RunStatus::kRunning && stored.lease_expires_at < now;
      if (!due && !abandoned) continue;
      stored.run.status = domain::RunStatus::kRunning;
      stored.owner = std::string(owner);
      stored.lease_expires_at = now + lease;
      if (!stored.run.started_at) stored.run.started_at = now;
      ++stored.run.attempt;
      return std::optional<domain::ClaimedRun>(claimed(stored));
    }
    return std::optional<domain::ClaimedRun>();
  }

  domain::Result<void> renew_lease(domain::RunId run, std::string_view owner, std::chrono::seconds lease) override {
    std::lock_guard lock(mutex_);
    auto* stored = leased(run, owner);
    if (!stored) return lease_lost();
    stored->lease_expires_at = clock_.now() + lease;
    ++lease_renewals;
    return {};
  }
  std::atomic<int> lease_renewals = 0;  // by renew_lease alone: pages renew theirs too

  domain::Result<void> record_follower_count(domain::RunId run, std::string_view owner, std::int64_t count) override {
    std::lock_guard lock(mutex_);
    auto* stored = leased(run, owner);
    if (!stored) return lease_lost();
    stored->follower_count = count;
    return {};
  }

  domain::Result<void> set_x_user_id(domain::AccountId account, const std::string& x_user_id) override {
    std::lock_guard lock(mutex_);
    x_user_ids_[account.value] = x_user_id;
    return {};
  }

  domain::Result<domain::SavedPage> save_page(const domain::ClaimedRun& run, std::string_view owner,
                                              const std::vector<domain::ScoredFollower>& followers,
                                              const std::optional<std::string>& next_cursor, int api_calls,
                                              std::chrono::seconds lease) override {
    std::lock_guard lock(mutex_);
    auto* stored = leased(run.id, owner);
    if (!stored) return lease_lost();
    stored->lease_expires_at = clock_.now() + lease;
    domain::SavedPage saved;
    auto& added = saved.added;
    added.followers_walked = static_cast<int>(followers.size());
    added.api_calls = api_calls;
    for (const auto& follower : followers) {
      followers_[run.account_id.value][follower.profile.x_user_id] = follower.profile;
      if (!processed_.emplace(run.stream_id.value, run.account_id.value, follower.profile.x_user_id).second) continue;
      ++added.new_followers;
      if (follower.passed_filter) ++added.candidates_passed;
      for (const auto& match : follower.matches) add_lead(run, follower.profile, match, saved);
    }
    stored->cursor = next_cursor;
    stored->run.counters += added;
    return saved;
  }

  // domain::FollowerCache
  domain::Result<std::optional<domain::Timestamp>> recent_walk(domain::AccountId account, domain::StreamId stream,
                                                               domain::Timestamp since) override {
    std::lock_guard lock(mutex_);
    std::optional<domain::Timestamp> latest;
    for (const auto& stored : runs_) {
      const auto& run = stored.run;
      if (run.account_id != account || run.stream_id == stream || run.mode != domain::RunMode::kSync ||
          run.status != domain::RunStatus::kSucceeded || run.counters.api_calls == 0 || !run.started_at ||
          *run.started_at < since) {
        continue;
      }
      if (!latest || *run.started_at > *latest) latest = run.started_at;
    }
    return latest;
  }

  // The fake keeps no sighting times: `seen_since` is ignored.
  domain::Result<domain::CachedPage> cached_followers(domain::AccountId account,
                                                      const std::optional<std::string>& cursor, int limit,
                                                      std::optional<domain::Timestamp>) override {
    std::lock_guard lock(mutex_);
    domain::CachedPage page;
    const auto& cache = followers_[account.value];
    for (auto it = cursor ? cache.upper_bound(*cursor) : cache.begin(); it != cache.end(); ++it) {
      if (static_cast<int>(page.followers.size()) == limit) break;
      page.followers.push_back(it->second);
    }
    if (static_cast<int>(page.followers.size()) == limit) page.next_cursor = page.followers.back().x_user_id;
    return page;
  }

  domain::Result<domain::SavedPage> save_retest_page(const domain::ClaimedRun& run, std::string_view owner,
                                                     const std::vector<domain::ScoredFollower>& followers,
                                                     const std::optional<std::string>& next_cursor,
                                                     std::chrono::seconds lease) override {
    std::lock_guard lock(mutex_);
    auto* stored = leased(run.id, owner);
    if (!stored) return lease_lost();
    stored->lease_expires_at = clock_.now() + lease;
    domain::SavedPage saved;
    saved.added.followers_walked = static_cast<int>(followers.size());
    for (const auto& follower : followers) {
      if (follower.passed_filter) ++saved.added.candidates_passed;
      for (const auto& match : follower.matches) add_lead(run, follower.profile, match, saved);
    }
    stored->cursor = next_cursor;
    stored->run.counters += saved.added;
    return saved;
  }

  domain::Result<void> log_progress(domain::RunId run, std::string_view owner,
                                    const domain::ProgressEntry& entry) override {
    std::lock_guard lock(mutex_);
    auto* stored = leased(run, owner);
    if (!stored) return lease_lost();
    stored->run.progress_log.push_back(entry);
    return {};
  }

  domain::Result<void> add_enriched(domain::RunId run, std::string_view owner, int count) override {
    std::lock_guard lock(mutex_);
    auto* stored = leased(run, owner);
    if (!stored) return lease_lost();
    stored->run.counters.enriched += count;
    return {};
  }

  domain::Result<void> add_classifier_usage(domain::RunId run, std::string_view owner,
                                            const domain::ClassifierUsage& usage) override {
    std::lock_guard lock(mutex_);
    auto* stored = leased(run, owner);
    if (!stored) return lease_lost();
    auto& total = stored->run.classifier_usage;
    total.requests += usage.requests;
    total.prompt_tokens += usage.prompt_tokens;
    total.completion_tokens += usage.completion_tokens;
    total.cached_profiles += usage.cached_profiles;
    total.fallback_profiles += usage.fallback_profiles;
    return {};
  }

  domain::Result<void> mark_full_walk(domain::RunId run, std::string_view owner) override {
    std::lock_guard lock(mutex_);
    auto* stored = leased(run, owner);
    if (!stored) return lease_lost();
    stored->full_walk = true;
    return {};
  }

  domain::Result<void> succeed(domain::RunId run, std::string_view owner, const domain::ProgressEntry& last) override {
    return finish(run, owner, domain::RunStatus::kSucceeded, std::nullopt, last);
  }

  domain::Result<void> retry_later(domain::RunId run, std::string_view owner, const std::string& error,
                                   domain::Timestamp run_after, bool counts_as_attempt) override {
    std::lock_guard lock(mutex_);
    auto* stored = leased(run, owner);
    if (!stored) return lease_lost();
    if (!counts_as_attempt) --stored->run.attempt;
    stored->run.status = domain::RunStatus::kQueued;
    stored->run.error_message = error;
    stored->run_after = run_after;
    stored->owner.reset();
    return {};
  }

  domain::Result<void> fail(domain::RunId run, std::string_view owner, const std::string& error) override {
    return finish(run, owner, domain::RunStatus::kFailed, error, std::nullopt);
  }

  // domain::RunReader
  domain::Result<domain::RunList> runs(const domain::RunQuery& query) override {
    std::lock_guard lock(mutex_);
    domain::RunList list;
    for (auto stored = runs_.rbegin(); stored != runs_.rend(); ++stored) {
      const auto& run = stored->run;
      if (run.team_id != query.team_id || (query.stream_id && run.stream_id != *query.stream_id) ||
          (query.status && run.status != *query.status)) {
        continue;
      }
      if (list.total++ >= query.offset && static_cast<int>(list.runs.size()) < query.limit) list.runs.push_back(run);
    }
    return list;
  }

  domain::Result<std::optional<domain::Run>> run(domain::TeamId team, domain::RunId id) override {
    std::lock_guard lock(mutex_);
    for (const auto& stored : runs_) {
      if (stored.run.id == id && stored.run.team_id == team) return std::optional<domain::Run>(stored.run);
    }
    return std::optional<domain::Run>();
  }

  domain::Result<domain::LeadList> leads(const domain::LeadQuery& query) override {
    std::lock_guard lock(mutex_);
    domain::LeadList list;
    for (auto lead = leads_.rbegin(); lead != leads_.rend(); ++lead) {
      if (query.stream_id && lead->stream_id != *query.stream_id) continue;
      if (list.total++ >= query.offset && static_cast<int>(list.leads.size()) < query.limit)
        list.leads.push_back(*lead);
    }
    return list;
  }

  domain::Result<domain::LeadSummary> lead_summary(const domain::LeadQuery& query) override {
    std::lock_guard lock(mutex_);
    domain::LeadSummary summary;
    for (const auto& lead : leads_) {
      if (query.stream_id && lead.stream_id != *query.stream_id) continue;
      ++(lead.confidence == domain::MatchConfidence::kHigh ? summary.high_fit : summary.medium_fit);
      ++(lead.lifecycle == "new" ? summary.fresh : summary.exported);
    }
    return summary;
  }

  // Leads belong to the team of their stream's runs.
  domain::Result<std::optional<domain::Lead>> lead(domain::TeamId team, domain::LeadId id) override {
    std::lock_guard lock(mutex_);
    auto* found = find_lead(team, id);
    if (!found) return std::optional<domain::Lead>();
    auto lead = *found;
    if (const auto known = enrichments_.find({team.value, lead.profile.x_user_id}); known != enrichments_.end()) {
      lead.enrichment = known->second;
    }
    return std::optional<domain::Lead>(std::move(lead));
  }

  // domain::LeadStore
  domain::Result<bool> record_feedback(domain::TeamId team, domain::LeadId id,
                                       const domain::LeadFeedback& feedback) override {
    std::lock_guard lock(mutex_);
    auto* found = find_lead(team, id);
    if (!found) return false;
    if (feedback.segment_id == found->segment_id) found->feedback = feedback;
    return true;
  }

  domain::Result<bool> mark_exported(domain::TeamId team, domain::LeadId id) override {
    std::lock_guard lock(mutex_);
    auto* found = find_lead(team, id);
    if (!found) return false;
    found->lifecycle = "exported";
    if (!found->exported_at) found->exported_at = clock_.now();
    return true;
  }

  domain::Result<void> save_enrichment(domain::TeamId team, const std::string& x_user_id,
                                       const domain::Enrichment& enrichment) override {
    std::lock_guard lock(mutex_);
    auto& stored = enrichments_[{team.value, x_user_id}];
    if (enrichment.linkedin) stored.linkedin = enrichment.linkedin;
    const bool downgrade = stored.email && stored.email->status == "verified" && enrichment.email &&
                           enrichment.email->status != "verified";
    if (enrichment.email && !downgrade) stored.email = enrichment.email;
    if (enrichment.phone) stored.phone = enrichment.phone;
    if (!stored.enriched_at || (enrichment.enriched_at && *enrichment.enriched_at > *stored.enriched_at)) {
      stored.enriched_at = enrichment.enriched_at;
    }
    return {};
  }

  domain::Result<std::map<std::string, domain::Enrichment>> enrichments(
      domain::TeamId team, const std::vector<std::string>& x_user_ids) override {
    std::lock_guard lock(mutex_);
    std::map<std::string, domain::Enrichment> known;
    for (const auto& id : x_user_ids) {
      if (const auto found = enrichments_.find({team.value, id}); found != enrichments_.end())
        known[id] = found->second;
    }
    return known;
  }

  /// Makes every running lease expire, as if its process had died.
  void expire_leases() {
    std::lock_guard lock(mutex_);
    for (auto& stored : runs_) {
      if (stored.lease_expires_at) stored.lease_expires_at = clock_.now() - std::chrono::seconds{1};
    }
  }

 private:
  static bool is_open(domain::RunStatus status) {
    return status == domain::RunStatus::kQueued || status == domain::RunStatus::kRunning;
  }
  domain::Lead* find_lead(domain::TeamId team, domain::LeadId id) {
    for (auto& lead : leads_) {
      if (lead.id != id) continue;
      for (const auto& stored : runs_) {
        if (stored.run.stream_id == lead.stream_id && stored.run.team_id == team) return &lead;
      }
    }
    return nullptr;
  }

  static domain::Error lease_lost() { return domain::Error{domain::ErrorCode::kConflict, "lease lost"}; }

  StoredRun* leased(domain::RunId run, std::string_view owner) {
    for (auto& stored : runs_) {
      if (stored.run.id == run && stored.owner == owner && stored.run.status == domain::RunStatus::kRunning) {
        return &stored;
      }
    }
    return nullptr;
  }

  domain::Result<void> finish(domain::RunId run, std::string_view owner, domain::RunStatus status,
                              std::optional<std::string> error, std::optional<domain::ProgressEntry> last) {
    std::lock_guard lock(mutex_);
    auto* stored = leased(run, owner);
    if (!stored) return lease_lost();
    stored->run.status = status;
    stored->run.error_message = std::move(error);
    stored->run.completed_at = clock_.now();
    if (last) stored->run.progress_log.push_back(*last);
    stored->owner.reset();
    return {};
  }

  void add_lead(const domain::ClaimedRun& run, const domain::FollowerProfile& profile, const domain::Match& match,
                domain::SavedPage& saved) {
    const bool exists = std::ranges::any_of(leads_, [&](const domain::Lead& lead) {
      return lead.stream_id == run.stream_id && lead.segment_id == match.segment_id &&
             lead.profile.x_user_id == profile.x_user_id;
    });
    if (exists) return;
    domain::Lead lead;
    lead.id = domain::LeadId{static_cast<std::int64_t>(leads_.size()) + 1};
    lead.stream_id = run.stream_id;
    lead.account_id = run.account_id;
    lead.segment_id = match.segment_id;
    lead.run_id = run.id;
    lead.confidence = match.confidence;
    lead.score = match.score;
    lead.reasons = match.reasons;
    lead.discovered_at = clock_.now();
    lead.profile = profile;
    leads_.push_back(std::move(lead));
    ++saved.added.leads_created;
    ++(match.confidence == domain::MatchConfidence::kHigh ? saved.added.high_fit : saved.added.medium_fit);
    if (std::ranges::find(saved.new_lead_people, profile.x_user_id) == saved.new_lead_people.end()) {
      saved.new_lead_people.push_back(profile.x_user_id);
    }
  }

  domain::ClaimedRun claimed(const StoredRun& stored) const {
    const auto& state = campaigns_.state();
    domain::ClaimedRun out;
    out.id = stored.run.id;
    out.team_id = stored.run.team_id;
    out.stream_id = stored.run.stream_id;
    out.account_id = stored.run.account_id;
    out.mode = stored.run.mode;
    out.segment_id = stored.run.segment_id;
    out.attempt = stored.run.attempt;
    out.cursor = stored.cursor;
    out.followers_walked = stored.run.counters.followers_walked;
    for (const auto& r : runs_) {
      if (r.run.stream_id == stored.run.stream_id && r.run.account_id == stored.run.account_id &&
          r.run.mode == domain::RunMode::kSync && r.run.status == domain::RunStatus::kSucceeded) {
        out.last_follower_count = r.follower_count;  // the latest wins
        if (r.full_walk) out.last_full_walk_at = std::max(out.last_full_walk_at, r.run.completed_at);
      }
    }
    out.first_sync = std::ranges::none_of(runs_, [&](const StoredRun& r) {
      return r.run.stream_id == stored.run.stream_id && r.run.account_id == stored.run.account_id &&
             r.run.status == domain::RunStatus::kSucceeded;
    });
    for (const auto& account : state.accounts) {
      if (account.id != stored.run.account_id) continue;
      out.handle = account.handle;
      out.tier = account.tier;
      out.account_sleeping = !account.is_active;
      if (const auto id = x_user_ids_.find(account.id.value); id != x_user_ids_.end()) out.x_user_id = id->second;
    }
    for (const auto& stream : state.streams) {
      if (stream.id != stored.run.stream_id) continue;
      out.stream_archived = stream.is_archived;
      out.auto_enrich = {stream.settings.auto_enrich_linkedin, stream.settings.auto_enrich_email,
                         stream.settings.email_mode == "verified"};
      for (const auto& pair : stream.pairs) {
        if (pair.account_id != stored.run.account_id) continue;
        if (stored.run.segment_id && pair.segment_id != *stored.run.segment_id) continue;
        for (const auto& segment : state.segments) {
          if (segment.id == pair.segment_id) {
            const auto& draft = segment.draft;
            out.segments.push_back({segment.id, draft.description, draft.keywords, draft.exclude_keywords,
                                    draft.applied_search_filters, draft.follower_count_tiers});
          }
        }
      }
    }
    return out;
  }

  const InMemoryCampaigns& campaigns_;
  const domain::Clock& clock_;
  std::mutex mutex_;
};

/// Words as they are: enough where classification is not what a test is about.
class IdentityStemmer final : public domain::Stemmer {
 public:
  // domain::Stemmer
  std::string stem(std::string_view word) override { return std::string(word); }
  static std::unique_ptr<domain::Stemmer> make() { return std::make_unique<IdentityStemmer>(); }
};

}  // namespace leadstream::fakes
