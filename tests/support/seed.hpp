#pragma once

// Bulk rows for scheduler tests and benchmarks, written straight in SQL.

#include <string>

#include "support/test_database.hpp"

namespace leadstream::support {

/// Seeds `count` streams of a team "bulk", each on a pro account of its own with one
/// segment, all due a minute ago.
inline void seed_due_streams(const TestDatabase& database, int count) {
  database.scalar("INSERT INTO teams (name) VALUES ('bulk')");
  database.scalar("INSERT INTO segments (team_id, description, keywords) SELECT id, 'AI founders', '{ai,founders}'"
                  " FROM teams WHERE name = 'bulk'");
  database.scalar("INSERT INTO tracked_accounts (team_id, handle, display_handle, tier)"
                  " SELECT t.id, 'acct' || n, 'acct' || n, 'pro' FROM teams t, generate_series(1, " +
                  std::to_string(count) + ") n WHERE t.name = 'bulk'");
  database.scalar("INSERT INTO streams (team_id, name, next_sync_at)"
                  " SELECT team_id, 'stream ' || id, now() - interval '1 minute' FROM tracked_accounts"
                  " WHERE team_id = (SELECT id FROM teams WHERE name = 'bulk')");
  database.scalar(
      "INSERT INTO stream_pairs (stream_id, account_id, segment_id)"
      " SELECT s.id, a.id, g.id FROM streams s JOIN tracked_accounts a ON s.name = 'stream ' || a.id"
      " JOIN segments g ON g.team_id = a.team_id WHERE a.team_id = (SELECT id FROM teams WHERE name = 'bulk')");
}

}  // namespace leadstream::support
