#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace leadstream::domain {

/// A small thread-safe map whose entries expire `ttl` after they were put. Bounded: when
/// full it starts over rather than growing (entries are cheap to fetch again).
template <class Key, class Value, class Hash = std::hash<Key>>
class TtlCache {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  TtlCache(std::chrono::milliseconds ttl, std::size_t max_entries) : ttl_(ttl), max_entries_(max_entries) {}

  std::optional<Value> get(const Key& key, TimePoint now) {
    std::lock_guard lock(mutex_);
    const auto found = entries_.find(key);
    if (found == entries_.end()) return std::nullopt;
    if (now - found->second.stored_at >= ttl_) {
      entries_.erase(found);
      return std::nullopt;
    }
    return found->second.value;
  }

  void put(const Key& key, Value value, TimePoint now) {
    std::lock_guard lock(mutex_);
    if (entries_.size() >= max_entries_) entries_.clear();
    entries_.insert_or_assign(key, Entry{std::move(value), now});
  }

  void erase_if(const std::function<bool(const Key&, const Value&)>& doomed) {
    std::lock_guard lock(mutex_);
    std::erase_if(entries_, [&](const auto& entry) { return doomed(entry.first, entry.second.value); });
  }

 private:
  struct Entry {
    Value value;
    TimePoint stored_at;
  };

  const std::chrono::milliseconds ttl_;
  const std::size_t max_entries_;
  std::mutex mutex_;
  std::unordered_map<Key, Entry, Hash> entries_;
};

}  // namespace leadstream::domain
