#include "adapters/postgres/pg_follower_cache.hpp"

#include "adapters/postgres/pool_internal.hpp"

namespace leadstream::adapters::postgres {

using domain::Result;

Result<std::optional<domain::Timestamp>> PgFollowerCache::recent_walk(domain::AccountId account,
                                                                      domain::StreamId stream,
                                                                      domain::Timestamp since) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<std::optional<domain::Timestamp>> {
    pqxx::nontransaction tx(c);
    // api_calls > 0: a walk at the source, not one that reused another's.
    const auto rows = tx.exec_params("SELECT " + us("max(started_at)") +
                                         " FROM sync_runs WHERE account_id = $1"
                                         " AND stream_id <> $3 AND mode = 'sync' AND status = 'succeeded'"
                                         " AND api_calls > 0 AND started_at >= " +
                                         at(2),
                                     account.value, epoch_us(since), stream.value);
    return optional_time(rows[0][0]);
  });
}

Result<domain::CachedPage> PgFollowerCache::cached_followers(domain::AccountId account,
                                                             const std::optional<std::string>& cursor, int limit,
                                                             std::optional<domain::Timestamp> seen_since) {
  std::optional<std::int64_t> seen_us;
  if (seen_since) seen_us = epoch_us(*seen_since);
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<domain::CachedPage> {
    pqxx::nontransaction tx(c);
    domain::CachedPage page;
    for (const auto& row : tx.exec_params(
             "SELECT x_user_id, handle, display_name, bio, location, url, profile_image_url, followers_count,"
             " following_count, tweet_count, verified, protected FROM followers"
             " WHERE account_id = $1 AND ($2::text IS NULL OR x_user_id > $2)"
             " AND ($4::bigint IS NULL OR last_seen_at >= to_timestamp($4::bigint / 1000000.0))"
             " ORDER BY x_user_id LIMIT $3",
             account.value, cursor, limit, seen_us)) {
      page.followers.push_back(domain::FollowerProfile{.x_user_id = row[0].as<std::string>(),
                                                       .handle = row[1].as<std::string>(),
                                                       .display_name = row[2].as<std::string>(),
                                                       .bio = row[3].as<std::string>(),
                                                       .location = row[4].as<std::string>(),
                                                       .url = row[5].as<std::string>(),
                                                       .profile_image_url = row[6].as<std::string>(),
                                                       .followers_count = row[7].as<std::int64_t>(),
                                                       .following_count = row[8].as<std::int64_t>(),
                                                       .tweet_count = row[9].as<std::int64_t>(),
                                                       .verified = row[10].as<bool>(),
                                                       .is_protected = row[11].as<bool>()});
    }
    if (static_cast<int>(page.followers.size()) == limit) page.next_cursor = page.followers.back().x_user_id;
    return page;
  });
}

}  // namespace leadstream::adapters::postgres
