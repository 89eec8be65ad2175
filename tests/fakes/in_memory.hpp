#pragma once

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>

#include "domain/ports/api_key_repository.hpp"
#include "domain/ports/clock.hpp"
#include "domain/ports/credit_ledger.hpp"
#include "domain/ports/idempotency_store.hpp"
#include "domain/ports/lookup_store.hpp"
#include "domain/ports/preferences_store.hpp"
#include "domain/ports/readiness.hpp"
#include "domain/ports/secrets.hpp"
#include "domain/ports/team_repository.hpp"

namespace leadstream::fakes {

/// A clock that moves only when told to.
class ManualClock final : public domain::Clock {
 public:
  // domain::Clock
  domain::Timestamp now() const override { return wall_; }
  std::chrono::steady_clock::time_point steady_now() const override { return steady_; }

  void advance(std::chrono::milliseconds by) {
    wall_ += by;
    steady_ += by;
  }

 private:
  domain::Timestamp wall_{std::chrono::seconds{1'800'000'000}};
  std::chrono::steady_clock::time_point steady_{std::chrono::hours{1}};
};

/// Deterministic stand-ins: counting "random" strings, a mixing function for a digest.
class FakeSecrets final : public domain::Secrets {
 public:
  // domain::Secrets
  std::string webhook_secret() override { return "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"; }
  std::string seal(std::string_view plaintext) override { return "sealed:" + std::string(plaintext); }
  domain::Result<std::string> unseal(std::string_view sealed) override {
    if (!sealed.starts_with("sealed:")) return domain::Error{domain::ErrorCode::kInternal, "not sealed here"};
    return std::string(sealed.substr(7));
  }
  std::string random_base62(std::size_t length) override {
    std::string out(length, 'a');
    auto n = ++counter_;
    for (std::size_t i = 0; i < length && n > 0; ++i, n /= 26) out[i] = static_cast<char>('a' + n % 26);
    return out;
  }
  domain::KeyDigest sha256(std::string_view data) const override {
    domain::KeyDigest digest{};
    std::uint64_t h = 1469598103934665603ULL;
    for (std::size_t i = 0; i < digest.size(); ++i) {
      for (const char c : data) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL + i;
      digest[i] = static_cast<std::uint8_t>(h >> 24);
    }
    return digest;
  }
  bool equal(const domain::KeyDigest& a, const domain::KeyDigest& b) const override { return a == b; }

 private:
  std::uint64_t counter_ = 0;
};

class InMemoryTeamRepository final : public domain::TeamRepository {
 public:
  // domain::TeamRepository
  domain::Result<domain::Team> create(std::string_view name, std::string_view email) override {
    if (find_by_name(name).value()) return domain::Error{domain::ErrorCode::kConflict, "exists"};
    teams_.push_back(domain::Team{
        domain::TeamId{static_cast<std::int64_t>(teams_.size() + 1)}, std::string(name), {}, std::string(email)});
    return teams_.back();
  }
  domain::Result<void> set_email(domain::TeamId id, std::string_view email) override {
    const auto found = std::ranges::find_if(teams_, [&](const domain::Team& t) { return t.id == id; });
    if (found == teams_.end()) return domain::Error{domain::ErrorCode::kNotFound, "team not found"};
    found->email = email;
    return {};
  }
  domain::Result<std::optional<domain::Team>> find(domain::TeamId id) override {
    return first([&](const domain::Team& t) { return t.id == id; });
  }
  domain::Result<std::optional<domain::Team>> find_by_name(std::string_view name) override {
    return first([&](const domain::Team& t) { return t.name == name; });
  }
  domain::Result<void> set_billing(domain::TeamId, const std::optional<domain::StripeBilling>&) override { return {}; }
  domain::Result<void> set_free_plan(domain::TeamId) override { return {}; }

 private:
  template <class Pred>
  domain::Result<std::optional<domain::Team>> first(Pred pred) {
    const auto found = std::ranges::find_if(teams_, pred);
    if (found == teams_.end()) return std::optional<domain::Team>{};
    return std::optional{*found};
  }
  std::vector<domain::Team> teams_;
};

class InMemoryApiKeyRepository final : public domain::ApiKeyRepository {
 public:
  // domain::ApiKeyRepository
  domain::Result<domain::ApiKey> create(const domain::NewApiKey& key) override {
    std::lock_guard lock(mutex_);
    keys_.push_back(domain::ApiKey{.id = domain::ApiKeyId{static_cast<std::int64_t>(keys_.size() + 1)},
                                   .team_id = key.team_id,
                                   .name = key.name,
                                   .prefix = key.prefix,
                                   .digest = key.digest});
    return keys_.back();
  }
  domain::Result<std::vector<domain::ApiKey>> find_active_by_prefix(std::string_view prefix) override {
    std::lock_guard lock(mutex_);
    ++lookups;
    if (unavailable) return domain::Error{domain::ErrorCode::kUnavailable, "database unavailable"};
    std::vector<domain::ApiKey> found;
    for (const auto& key : keys_) {
      if (key.prefix == prefix && !key.revoked_at) found.push_back(key);
    }
    return found;
  }
  domain::Result<std::optional<domain::ApiKey>> find(domain::ApiKeyId id) override {
    std::lock_guard lock(mutex_);
    for (const auto& key : keys_) {
      if (key.id == id) return std::optional{key};
    }
    return std::optional<domain::ApiKey>{};
  }
  domain::Result<std::vector<domain::ApiKey>> list(domain::TeamId team) override {
    std::lock_guard lock(mutex_);
    std::vector<domain::ApiKey> found;
    for (const auto& key : keys_) {
      if (key.team_id == team) found.push_back(key);
    }
    return found;
  }
  domain::Result<void> revoke(domain::ApiKeyId id) override {
    std::lock_guard lock(mutex_);
    for (auto& key : keys_) {
      if (key.id == id && !key.revoked_at) {
        key.revoked_at = domain::Timestamp{};
        return {};
      }
    }
    return domain::Error{domain::ErrorCode::kNotFound, "API key not found"};
  }

  int lookups = 0;
  bool unavailable = false;

 private:
  std::mutex mutex_;
  std::vector<domain::ApiKey> keys_;
};

class InMemoryCreditLedger final : public domain::CreditLedger {
 public:
  // domain::CreditLedger
  domain::Result<std::int64_t> grant(domain::TeamId team, std::int64_t amount, std::string_view reason) override {
    std::lock_guard lock(mutex_);
    append(team, "grant", amount, reason, std::nullopt);
    return sum(team);
  }
  domain::Result<std::int64_t> balance(domain::TeamId team) override {
    std::lock_guard lock(mutex_);
    return sum(team);
  }
  domain::Result<domain::CreditHold> hold(domain::TeamId team, std::int64_t amount, std::string_view reason,
                                          domain::Timestamp lease_until,
                                          const std::optional<domain::SpendingCap>& cap) override {
    std::lock_guard lock(mutex_);
    if (sum(team) < amount) return domain::Error{domain::ErrorCode::kCreditsExhausted, "No credits left."};
    if (cap && committed(team, cap->since) + amount > cap->limit) {
      return domain::Error{domain::ErrorCode::kBudgetExhausted, "This month's enrichment budget is spent."};
    }
    const auto id = append(team, "hold", -amount, reason, std::nullopt);
    open_[id] = {team.value, amount, lease_until};
    return domain::CreditHold{id, amount};
  }
  domain::Result<std::int64_t> settle(domain::TeamId team, const domain::CreditHold& hold, std::int64_t cost,
                                      std::string_view reason) override {
    std::lock_guard lock(mutex_);
    if (!close(team, hold.id, cost, reason)) return domain::Error{domain::ErrorCode::kGone, "released already"};
    return sum(team);
  }
  domain::Result<int> release_expired(domain::Timestamp at) override {
    std::lock_guard lock(mutex_);
    std::vector<std::pair<std::int64_t, std::int64_t>> expired;  // hold, team
    for (const auto& [id, open] : open_) {
      if (open.lease_until < at) expired.emplace_back(id, open.team);
    }
    for (const auto& [id, team] : expired) close(domain::TeamId{team}, id, 0, "lease ran out");
    return static_cast<int>(expired.size());
  }
  domain::Result<std::vector<domain::LedgerEntry>> history(domain::TeamId team, int limit) override {
    std::lock_guard lock(mutex_);
    std::vector<domain::LedgerEntry> out;
    for (auto entry = entries_.rbegin(); entry != entries_.rend() && std::ssize(out) < limit; ++entry) {
      if (entry->first == team.value) out.push_back(entry->second);
    }
    return out;
  }
  domain::Result<std::int64_t> committed_since(domain::TeamId team, domain::Timestamp since) override {
    std::lock_guard lock(mutex_);
    return committed(team, since);
  }

  domain::Timestamp recorded_at{};  // the time moves are recorded at

 private:
  struct Open {
    std::int64_t team;
    std::int64_t amount;
    domain::Timestamp lease_until;
  };

  std::int64_t append(domain::TeamId team, std::string kind, std::int64_t delta, std::string_view reason,
                      std::optional<std::int64_t> hold_id) {
    const auto id = static_cast<std::int64_t>(entries_.size()) + 1;
    entries_.emplace_back(team.value,
                          domain::LedgerEntry{id, std::move(kind), delta, std::string(reason), hold_id, recorded_at});
    return id;
  }
  bool close(domain::TeamId team, std::int64_t hold_id, std::int64_t cost, std::string_view reason) {
    const auto open = open_.find(hold_id);
    if (open == open_.end() || open->second.team != team.value) return false;
    const auto amount = open->second.amount;
    open_.erase(open);
    append(team, "release", amount, reason, hold_id);
    if (const auto charged = std::min(cost, amount); charged > 0) append(team, "settle", -charged, reason, hold_id);
    return true;
  }
  std::int64_t charged(domain::TeamId team, domain::Timestamp since) const {
    std::int64_t total = 0;
    for (const auto& [owner, entry] : entries_) {
      if (owner == team.value && entry.kind == "settle" && entry.at >= since) total -= entry.delta;
    }
    return total;
  }
  /// Charged since `since` and held now: what counts against a spending cap.
  std::int64_t committed(domain::TeamId team, domain::Timestamp since) const {
    std::int64_t held = 0;
    for (const auto& [id, open] : open_) {
      if (open.team == team.value) held += open.amount;
    }
    return charged(team, since) + held;
  }
  std::int64_t sum(domain::TeamId team) const {
    std::int64_t total = 0;
    for (const auto& [owner, entry] : entries_) {
      if (owner == team.value) total += entry.delta;
    }
    return total;
  }

  std::mutex mutex_;
  std::vector<std::pair<std::int64_t, domain::LedgerEntry>> entries_;  // team, move; ids are index + 1
  std::map<std::int64_t, Open> open_;                                  // by hold id
};

class InMemoryLookupStore final : public domain::LookupStore {
 public:
  // domain::LookupStore
  domain::Result<domain::LookupRecord> record(domain::TeamId team, domain::LookupRecord lookup) override {
    std::lock_guard lock(mutex_);
    lookup.id = static_cast<std::int64_t>(lookups_.size()) + 1;
    lookups_.emplace_back(team.value, lookup);
    return lookup;
  }
  domain::Result<domain::LookupPage> list(domain::TeamId team, const std::string& kind, int limit,
                                          int offset) override {
    std::lock_guard lock(mutex_);
    domain::LookupPage page;
    for (auto entry = lookups_.rbegin(); entry != lookups_.rend(); ++entry) {
      if (entry->first != team.value || entry->second.kind != kind) continue;
      if (page.total >= offset && page.total < offset + limit) page.items.push_back(entry->second);
      ++page.total;
    }
    return page;
  }

 private:
  std::mutex mutex_;
  std::vector<std::pair<std::int64_t, domain::LookupRecord>> lookups_;  // team, lookup
};

class InMemoryIdempotencyStore final : public domain::IdempotencyStore {
 public:
  using Kind = domain::IdempotencyClaim::Kind;
  // domain::IdempotencyStore
  domain::Result<domain::IdempotencyClaim> claim(domain::TeamId team, std::string_view key,
                                                 std::string_view fingerprint) override {
    auto [entry, inserted] = entries_.try_emplace({team.value, std::string(key)}, Entry{std::string(fingerprint)});
    if (inserted) return domain::IdempotencyClaim{Kind::kNew};
    if (entry->second.fingerprint != fingerprint) return domain::IdempotencyClaim{Kind::kMismatch};
    if (!entry->second.stored) return domain::IdempotencyClaim{Kind::kInProgress};
    return domain::IdempotencyClaim{Kind::kReplay, entry->second.stored};
  }
  domain::Result<void> complete(domain::TeamId team, std::string_view key, const domain::StoredResponse& r) override {
    entries_.at({team.value, std::string(key)}).stored = r;
    return {};
  }
  // No transactions to tie a claim to: every request is taken as without effect.
  void begin_acting(domain::TeamId, std::string_view) override {}
  void end_acting() override {}
  domain::Result<void> release(domain::TeamId team, std::string_view key, const domain::StoredResponse&) override {
    entries_.erase({team.value, std::string(key)});
    return {};
  }

 private:
  struct Entry {
    std::string fingerprint;
    std::optional<domain::StoredResponse> stored;
  };
  std::map<std::pair<std::int64_t, std::string>, Entry> entries_;
};

class InMemoryPreferences final : public domain::PreferencesStore {
 public:
  // domain::PreferencesStore
  domain::Result<std::vector<domain::DmTemplate>> templates(domain::TeamId team) override {
    std::vector<domain::DmTemplate> out;
    for (const auto& t : templates_) {
      if (t.team_id == team) out.push_back(t);
    }
    return out;
  }
  domain::Result<std::optional<domain::DmTemplate>> template_by_id(domain::TeamId team,
                                                                   domain::DmTemplateId id) override {
    for (const auto& t : templates_) {
      if (t.team_id == team && t.id == id) return std::optional{t};
    }
    return std::optional<domain::DmTemplate>{};
  }
  domain::Result<std::optional<domain::DmTemplate>> insert_template(domain::TeamId team, const std::string& name,
                                                                    const std::string& body, int cap) override {
    if (name_taken(team, name, {})) return domain::Error{domain::ErrorCode::kConflict, "exists"};
    if (std::ranges::count(templates_, team, &domain::DmTemplate::team_id) >= cap) {
      return std::optional<domain::DmTemplate>{};
    }
    templates_.push_back({domain::DmTemplateId{static_cast<std::int64_t>(templates_.size() + 1)}, team, name, body});
    return std::optional{templates_.back()};
  }
  domain::Result<std::optional<domain::DmTemplate>> update_template(domain::TeamId team, domain::DmTemplateId id,
                                                                    const std::string& name,
                                                                    const std::string& body) override {
    if (name_taken(team, name, id)) return domain::Error{domain::ErrorCode::kConflict, "exists"};
    for (auto& t : templates_) {
      if (t.team_id == team && t.id == id) {
        t.name = name;
        t.message_body = body;
        return std::optional{t};
      }
    }
    return std::optional<domain::DmTemplate>{};
  }
  domain::Result<bool> delete_template(domain::TeamId team, domain::DmTemplateId id) override {
    return std::erase_if(templates_, [&](const auto& t) { return t.team_id == team && t.id == id; }) > 0;
  }
  domain::Result<std::optional<domain::NotificationSettings>> notification_settings(domain::TeamId team) override {
    const auto found = settings_.find(team.value);
    if (found == settings_.end()) return std::optional<domain::NotificationSettings>{};
    return std::optional{found->second};
  }
  domain::Result<void> save_notification_settings(domain::TeamId team, const domain::NotificationSettings& s) override {
    settings_[team.value] = s;
    return {};
  }

 private:
  bool name_taken(domain::TeamId team, const std::string& name, domain::DmTemplateId except) const {
    return std::ranges::any_of(templates_,
                               [&](const auto& t) { return t.team_id == team && t.name == name && t.id != except; });
  }
  std::vector<domain::DmTemplate> templates_;
  std::map<std::int64_t, domain::NotificationSettings> settings_;
};

class SwitchableReadiness final : public domain::Readiness {
 public:
  // domain::Readiness
  domain::Result<void> check() override {
    if (!ready) return domain::Error{domain::ErrorCode::kUnavailable, "database unavailable"};
    return {};
  }
  bool ready = true;
};

}  // namespace leadstream::fakes
