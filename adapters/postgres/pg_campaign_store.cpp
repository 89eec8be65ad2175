#include "adapters/postgres/pg_campaign_store.hpp"

#include <boost/json.hpp>
#include <unordered_map>

#include "adapters/postgres/pool_internal.hpp"
#include "domain/ports/billing.hpp"

namespace leadstream::adapters::postgres {
namespace {

using domain::Result;
namespace json = boost::json;

std::string json_of(const std::vector<std::string>& values) { return json::serialize(json::value_from(values)); }

std::vector<std::string> strings_of(const json::value& value) {
  return json::value_to<std::vector<std::string>>(value);
}

std::string filters_json(const std::map<std::string, std::vector<std::string>>& filters) {
  return json::serialize(json::value_from(filters));
}

const std::string kSegmentColumns =
    "s.id, s.team_id, s.name, s.description, to_jsonb(s.gender_values)::text, s.applied_search_filters::text,"
    " to_jsonb(s.follower_count_tiers)::text, to_jsonb(s.keywords)::text, to_jsonb(s.exclude_keywords)::text, " +
    us("s.created_at") + ", " + us("s.updated_at") +
    ", (SELECT count(DISTINCT p.stream_id) FROM stream_pairs p JOIN streams st ON st.id = p.stream_id"
    " WHERE p.segment_id = s.id AND st.archived_at IS NULL)";

domain::Segment to_segment(const pqxx::row& row) {
  domain::Segment segment{.id = domain::SegmentId{row[0].as<std::int64_t>()},
                          .team_id = domain::TeamId{row[1].as<std::int64_t>()}};
  auto& draft = segment.draft;
  draft.name = optional_of<std::string>(row[2]);
  draft.description = row[3].as<std::string>();
  draft.gender_values = strings_of(json::parse(row[4].c_str()));
  draft.applied_search_filters =
      json::value_to<std::map<std::string, std::vector<std::string>>>(json::parse(row[5].c_str()));
  draft.follower_count_tiers = strings_of(json::parse(row[6].c_str()));
  draft.keywords = strings_of(json::parse(row[7].c_str()));
  draft.exclude_keywords = strings_of(json::parse(row[8].c_str()));
  segment.created_at = from_epoch_us(row[9].as<std::int64_t>());
  segment.updated_at = from_epoch_us(row[10].as<std::int64_t>());
  segment.linked_stream_count = row[11].as<int>();
  return segment;
}

const std::string kAccountColumns =
    "a.id, a.team_id, a.handle, a.display_handle, a.x_user_id, a.tier, a.is_active, a.pending_tier, " +
    us("a.pending_tier_effective_at") +
    ", a.profile_image_url, a.last_known_follower_count, a.last_known_tweet_count, to_jsonb(a.tags)::text, " +
    us("a.added_at") + ", " + us("a.last_synced_at") +
    ", a.billing_status, a.billing_error,"
    " (SELECT coalesce(jsonb_agg(DISTINCT p.segment_id), '[]'::jsonb)::text FROM stream_pairs p"
    " JOIN streams st ON st.id = p.stream_id WHERE p.account_id = a.id AND st.archived_at IS NULL)";

domain::TrackedAccount to_account(const pqxx::row& row) {
  domain::TrackedAccount account{.id = domain::AccountId{row[0].as<std::int64_t>()},
                                 .team_id = domain::TeamId{row[1].as<std::int64_t>()},
                                 .handle = row[2].as<std::string>(),
                                 .display_handle = row[3].as<std::string>(),
                                 .x_user_id = optional_of<std::string>(row[4]),
                                 .tier = *domain::parse_tier(row[5].c_str()),
                                 .is_active = row[6].as<bool>()};
  if (!row[7].is_null()) account.pending_tier = domain::parse_tier(row[7].c_str());
  account.pending_tier_effective_at = optional_time(row[8]);
  account.profile_image_url = optional_of<std::string>(row[9]);
  account.last_known_follower_count = optional_of<std::int64_t>(row[10]);
  account.last_known_tweet_count = optional_of<std::int64_t>(row[11]);
  account.tags = strings_of(json::parse(row[12].c_str()));
  account.added_at = from_epoch_us(row[13].as<std::int64_t>());
  account.last_synced_at = optional_time(row[14]);
  account.billing_status = row[15].as<std::string>();
  account.billing_error = optional_of<std::string>(row[16]);
  const auto segment_ids = json::parse(row[17].c_str());  // kept alive for the loop
  for (const auto& id : segment_ids.as_array()) {
    account.assigned_segment_ids.push_back(domain::SegmentId{id.to_number<std::int64_t>()});
  }
  return account;
}

const std::string kStreamColumns =
    "id, team_id, name, to_jsonb(sync_times)::text, timezone, cron, auto_enrich_linkedin, auto_enrich_email,"
    " email_mode, email_digest_override, telegram_override, delivery_destination, webhook_url,"
    " csv_email_recipients::text, is_active, archived_at IS NOT NULL, " +
    us("created_at") + ", " + us("updated_at") + ", " +
    us("(SELECT r.started_at FROM sync_runs r WHERE r.stream_id = streams.id AND r.started_at IS NOT NULL"
       " ORDER BY r.id DESC LIMIT 1)") +
    ", (SELECT w.secret FROM webhook_subscriptions w WHERE w.owner_stream_id = streams.id)";

domain::Stream to_stream(const pqxx::row& row) {
  domain::Stream stream{.id = domain::StreamId{row[0].as<std::int64_t>()},
                        .team_id = domain::TeamId{row[1].as<std::int64_t>()}};
  auto& s = stream.settings;
  s.name = row[2].as<std::string>();
  s.sync_times = strings_of(json::parse(row[3].c_str()));
  s.timezone = row[4].as<std::string>();
  s.cron = optional_of<std::string>(row[5]);
  s.auto_enrich_linkedin = row[6].as<bool>();
  s.auto_enrich_email = row[7].as<bool>();
  s.email_mode = row[8].as<std::string>();
  s.email_digest_override = optional_of<std::string>(row[9]);
  s.telegram_override = optional_of<bool>(row[10]);
  s.delivery_destination = row[11].as<std::string>();
  s.webhook_url = optional_of<std::string>(row[12]);
  if (!row[13].is_null()) {
    const auto recipients = json::parse(row[13].c_str());
    s.csv_email_recipients = domain::CsvRecipients{strings_of(recipients.at("to")), strings_of(recipients.at("cc"))};
  }
  s.is_active = row[14].as<bool>();
  stream.is_archived = row[15].as<bool>();
  stream.created_at = from_epoch_us(row[16].as<std::int64_t>());
  stream.updated_at = from_epoch_us(row[17].as<std::int64_t>());
  stream.last_run_at = optional_time(row[18]);
  s.webhook_secret = optional_of<std::string>(row[19]);
  return stream;
}

std::optional<std::string> csv_json(const std::optional<domain::CsvRecipients>& recipients) {
  if (!recipients) return std::nullopt;
  return json::serialize(json::object{
      {"to", json::value_from(recipients->to)}, {"cc", json::value_from(recipients->cc)}, {"format", "csv"}});
}

class PgCampaignStore final : public domain::CampaignStore {
 public:
  explicit PgCampaignStore(pqxx::work& tx) : tx_(tx) {}

  // domain::CampaignStore
  Result<void> lock_team(domain::TeamId team) override {
    lock_team_row(tx_, team);
    return {};
  }

  Result<std::optional<std::string>> subscription_status(domain::TeamId team) override {
    const auto rows = tx_.exec_params("SELECT CASE WHEN t.free_plan THEN $2 ELSE b.status END"
                                      " FROM teams t LEFT JOIN team_billing b ON b.team_id = t.id WHERE t.id = $1",
                                      team.value, std::string(domain::kFreePlan));
    if (rows.empty() || rows[0][0].is_null()) return std::optional<std::string>{};
    return std::optional{rows[0][0].as<std::string>()};
  }

  Result<std::optional<domain::Timestamp>> billing_period_end(domain::TeamId team) override {
    const auto rows = tx_.exec_params(
        "SELECT (extract(epoch FROM current_period_end) * 1000000)::bigint FROM team_billing WHERE team_id = $1",
        team.value);
    if (rows.empty() || rows[0][0].is_null()) return std::optional<domain::Timestamp>{};
    return std::optional{from_epoch_us(rows[0][0].as<std::int64_t>())};
  }

  Result<domain::Segment> insert_segment(domain::TeamId team, const domain::SegmentDraft& d) override {
    const auto id =
        tx_.exec_params(
               "INSERT INTO segments (team_id, name, description, gender_values, applied_search_filters,"
               " follower_count_tiers, keywords, exclude_keywords) VALUES ($1, $2, $3,"
               " ARRAY(SELECT jsonb_array_elements_text($4::jsonb)), $5::jsonb,"
               " ARRAY(SELECT jsonb_array_elements_text($6::jsonb)), ARRAY(SELECT jsonb_array_elements_text($7::jsonb)),"
               " ARRAY(SELECT jsonb_array_elements_text($8::jsonb))) RETURNING id",
               team.value, d.name, d.description, json_of(d.gender_values), filters_json(d.applied_search_filters),
               json_of(d.follower_count_tiers), json_of(d.keywords), json_of(d.exclude_keywords))[0][0]
            .as<std::int64_t>();
    return **segment(team, domain::SegmentId{id});
  }

  Result<std::vector<domain::Segment>> segments(domain::TeamId team) override {
    std::vector<domain::Segment> out;
    for (const auto& row : tx_.exec_params("SELECT " + kSegmentColumns +
                                               " FROM segments s WHERE s.team_id = $1"
                                               " AND s.archived_at IS NULL ORDER BY s.id",
                                           team.value)) {
      out.push_back(to_segment(row));
    }
    return out;
  }

  Result<std::optional<domain::Segment>> segment(domain::TeamId team, domain::SegmentId id) override {
    const auto rows = tx_.exec_params(
        "SELECT " + kSegmentColumns + " FROM segments s WHERE s.team_id = $1 AND s.id = $2", team.value, id.value);
    if (rows.empty()) return std::optional<domain::Segment>{};
    return std::optional{to_segment(rows[0])};
  }

  Result<std::optional<domain::TrackedAccount>> account(domain::TeamId team, domain::AccountId id) override {
    return first_account(
        tx_.exec_params("SELECT " + kAccountColumns + " FROM tracked_accounts a WHERE a.team_id = $1 AND a.id = $2",
                        team.value, id.value));
  }

  Result<std::optional<domain::TrackedAccount>> account_by_handle(domain::TeamId team,
                                                                  std::string_view handle) override {
    return first_account(
        tx_.exec_params("SELECT " + kAccountColumns + " FROM tracked_accounts a WHERE a.team_id = $1 AND a.handle = $2",
                        team.value, std::string(handle)));
  }

  Result<domain::TrackedAccount> insert_account(const domain::TrackedAccount& a) override {
    const auto id =
        tx_.exec_params("INSERT INTO tracked_accounts (team_id, handle, display_handle, x_user_id, tier, is_active,"
                        " profile_image_url, last_known_follower_count, last_known_tweet_count)"
                        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                        a.team_id.value, a.handle, a.display_handle, a.x_user_id,
                        std::string(domain::to_string(a.tier)), a.is_active, a.profile_image_url,
                        a.last_known_follower_count, a.last_known_tweet_count)[0][0]
            .as<std::int64_t>();
    return **account(a.team_id, domain::AccountId{id});
  }

  Result<std::vector<domain::TrackedAccount>> accounts(domain::TeamId team) override {
    std::vector<domain::TrackedAccount> out;
    for (const auto& row : tx_.exec_params(
             "SELECT " + kAccountColumns + " FROM tracked_accounts a WHERE a.team_id = $1 ORDER BY a.id", team.value)) {
      out.push_back(to_account(row));
    }
    return out;
  }

  Result<int> active_account_count(domain::TeamId team, domain::Tier tier, bool after_pending) override {
    return tx_
        .exec_params(std::string("SELECT count(*) FROM tracked_accounts WHERE team_id = $1 AND is_active AND ") +
                         (after_pending ? "coalesce(pending_tier, tier)" : "tier") + " = $2",
                     team.value, std::string(domain::to_string(tier)))[0][0]
        .as<int>();
  }

  Result<void> update_account(const domain::TrackedAccount& a) override {
    std::optional<std::string> pending;
    if (a.pending_tier) pending = std::string(domain::to_string(*a.pending_tier));
    std::optional<std::int64_t> pending_at;
    if (a.pending_tier_effective_at) pending_at = a.pending_tier_effective_at->time_since_epoch().count();
    tx_.exec_params("UPDATE tracked_accounts SET tier = $3, is_active = $4, pending_tier = $5,"
                    " pending_tier_effective_at = to_timestamp($6::bigint / 1000000.0) WHERE team_id = $1 AND id = $2",
                    a.team_id.value, a.id.value, std::string(domain::to_string(a.tier)), a.is_active, pending,
                    pending_at);
    return {};
  }

  Result<int> stream_count(domain::AccountId account) override {
    return tx_
        .exec_params("SELECT count(DISTINCT p.stream_id) FROM stream_pairs p JOIN streams s ON s.id = p.stream_id"
                     " WHERE p.account_id = $1 AND s.archived_at IS NULL",
                     account.value)[0][0]
        .as<int>();
  }

  Result<void> record_billing_change(const domain::BillingChange& c) override {
    std::optional<std::int64_t> account;
    if (c.account_id) account = c.account_id->value;
    tx_.exec_params("INSERT INTO billing_changes (team_id, tier, quantity, effective, reason, account_id)"
                    " VALUES ($1, $2, $3, $4, $5, $6)",
                    c.team_id.value, std::string(domain::to_string(c.tier)), c.quantity,
                    std::string(c.effect == domain::BillingEffect::kNow ? "now" : "period_end"), c.reason, account);
    return {};
  }

  Result<void> close_scheduled_changes(domain::AccountId account) override {
    tx_.exec_params("UPDATE billing_changes SET applied_at = now() WHERE account_id = $1"
                    " AND effective = 'period_end' AND applied_at IS NULL",
                    account.value);
    return {};
  }

  Result<std::map<domain::AccountId, domain::RunUsage>> run_usage(domain::TeamId team, domain::Timestamp day_start,
                                                                  domain::Timestamp period_start) override {
    std::map<domain::AccountId, domain::RunUsage> usage;
    for (const auto& row :
         tx_.exec_params("SELECT account_id, count(*) FILTER (WHERE " + spends_daily_sync("r", at(2)) +
                             "),"
                             " count(*) FILTER (WHERE " +
                             spends_retest("r", at(3)) +
                             ")"
                             " FROM sync_runs r WHERE team_id = $1 GROUP BY account_id",
                         team.value, epoch_us(day_start), epoch_us(period_start))) {
      usage[domain::AccountId{row[0].as<std::int64_t>()}] = {row[1].as<int>(), row[2].as<int>()};
    }
    return usage;
  }

  Result<std::vector<std::pair<domain::TeamId, domain::AccountId>>> due_downgrades(domain::Timestamp now) override {
    std::vector<std::pair<domain::TeamId, domain::AccountId>> due;
    for (const auto& row : tx_.exec_params(
             "SELECT team_id, id FROM tracked_accounts WHERE pending_tier IS NOT NULL"
             " AND pending_tier_effective_at <= to_timestamp($1::bigint / 1000000.0) ORDER BY id LIMIT 1000",
             now.time_since_epoch().count())) {
      due.emplace_back(domain::TeamId{row[0].as<std::int64_t>()}, domain::AccountId{row[1].as<std::int64_t>()});
    }
    return due;
  }

  Result<domain::Stream> insert_stream(
      domain::TeamId team, const domain::StreamSettings& s,
      const std::vector<std::pair<domain::AccountId, domain::SegmentId>>& pairs) override {
    const auto id =
        tx_.exec_params(
               "INSERT INTO streams (team_id, name, sync_times, timezone, cron, auto_enrich_linkedin, auto_enrich_email,"
               " email_mode, email_digest_override, telegram_override, delivery_destination, webhook_url,"
               " csv_email_recipients, is_active) VALUES ($1, $2, ARRAY(SELECT jsonb_array_elements_text($3::jsonb)),"
               " $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14) RETURNING id",
               team.value, s.name, json_of(s.sync_times), s.timezone, s.cron, s.auto_enrich_linkedin,
               s.auto_enrich_email, s.email_mode, s.email_digest_override, s.telegram_override, s.delivery_destination,
               s.webhook_url, csv_json(s.csv_email_recipients), s.is_active)[0][0]
            .as<std::int64_t>();
    for (const auto& [account, segment] : pairs) {
      tx_.exec_params("INSERT INTO stream_pairs (stream_id, account_id, segment_id) VALUES ($1, $2, $3)"
                      " ON CONFLICT DO NOTHING",
                      id, account.value, segment.value);
    }
    sync_own_webhook(team, domain::StreamId{id}, s);
    return **stream(team, domain::StreamId{id});
  }

  Result<std::vector<domain::Stream>> streams(domain::TeamId team, bool include_archived) override {
    std::vector<domain::Stream> out;
    for (const auto& row : tx_.exec_params("SELECT " + kStreamColumns + " FROM streams WHERE team_id = $1" +
                                               (include_archived ? "" : " AND archived_at IS NULL") + " ORDER BY id",
                                           team.value)) {
      out.push_back(to_stream(row));
    }
    attach_pairs(out);
    return out;
  }

  Result<std::optional<domain::Stream>> stream(domain::TeamId team, domain::StreamId id) override {
    const auto rows = tx_.exec_params("SELECT " + kStreamColumns + " FROM streams WHERE team_id = $1 AND id = $2",
                                      team.value, id.value);
    if (rows.empty()) return std::optional<domain::Stream>{};
    std::vector<domain::Stream> one{to_stream(rows[0])};
    attach_pairs(one);
    return std::optional{std::move(one.front())};
  }

  Result<void> update_stream(const domain::Stream& stream) override {
    const auto& s = stream.settings;
    tx_.exec_params(
        "UPDATE streams SET name = $3, sync_times = ARRAY(SELECT jsonb_array_elements_text($4::jsonb)), timezone = $5,"
        " cron = $6, auto_enrich_linkedin = $7, auto_enrich_email = $8, email_mode = $9, email_digest_override = $10,"
        " telegram_override = $11, delivery_destination = $12, webhook_url = $13, csv_email_recipients = $14::jsonb,"
        " is_active = $15, archived_at = CASE WHEN $16 THEN coalesce(archived_at, now()) END, updated_at = now(),"
        // A changed schedule, or a stream paused or restored, gets its next slot computed afresh.
        " next_sync_at = CASE WHEN sync_times IS DISTINCT FROM ARRAY(SELECT jsonb_array_elements_text($4::jsonb))"
        "   OR timezone <> $5 OR cron IS DISTINCT FROM $6 OR is_active <> $15 OR (archived_at IS NULL) = $16"
        "   THEN NULL ELSE next_sync_at END"
        " WHERE team_id = $1 AND id = $2",
        stream.team_id.value, stream.id.value, s.name, json_of(s.sync_times), s.timezone, s.cron,
        s.auto_enrich_linkedin, s.auto_enrich_email, s.email_mode, s.email_digest_override, s.telegram_override,
        s.delivery_destination, s.webhook_url, csv_json(s.csv_email_recipients), s.is_active, stream.is_archived);
    sync_own_webhook(stream.team_id, stream.id, s);
    return {};
  }

  /// The stream's own webhook as its settings say: a subscription to its webhookUrl for
  /// its leads while it delivers leads_plus_webhook (a new URL enabled afresh, the secret
  /// kept), none otherwise.
  void sync_own_webhook(domain::TeamId team, domain::StreamId stream, const domain::StreamSettings& s) {
    if (s.delivery_destination != "leads_plus_webhook" || !s.webhook_url || !s.webhook_secret) {
      tx_.exec_params("DELETE FROM webhook_subscriptions WHERE owner_stream_id = $1", stream.value);
      return;
    }
    tx_.exec_params(
        "INSERT INTO webhook_subscriptions AS w (team_id, target_url, secret, stream_id, owner_stream_id)"
        " VALUES ($1, $2, $3, $4, $4) ON CONFLICT (owner_stream_id) DO UPDATE SET target_url = excluded.target_url,"
        " active = w.active OR w.target_url <> excluded.target_url,"
        " disabled_reason = CASE WHEN w.target_url <> excluded.target_url THEN NULL ELSE w.disabled_reason END,"
        " failing_since = CASE WHEN w.target_url <> excluded.target_url THEN NULL ELSE w.failing_since END,"
        " updated_at = now()",
        team.value, *s.webhook_url, *s.webhook_secret, stream.value);
  }

  Result<void> replace_pairs(domain::StreamId stream,
                             const std::vector<std::pair<domain::AccountId, domain::SegmentId>>& pairs) override {
    std::vector<std::string> keep;
    for (const auto& [account, segment] : pairs) {
      keep.push_back(std::to_string(account.value) + ":" + std::to_string(segment.value));
      tx_.exec_params("INSERT INTO stream_pairs (stream_id, account_id, segment_id) VALUES ($1, $2, $3)"
                      " ON CONFLICT DO NOTHING",
                      stream.value, account.value, segment.value);
    }
    tx_.exec_params("DELETE FROM stream_pairs WHERE stream_id = $1 AND NOT (account_id || ':' || segment_id ="
                    " ANY(ARRAY(SELECT jsonb_array_elements_text($2::jsonb))))",
                    stream.value, json_of(keep));
    return {};
  }

  Result<void> archive_stream(domain::TeamId team, domain::StreamId id) override {
    tx_.exec_params("UPDATE streams SET archived_at = coalesce(archived_at, now()), is_active = false,"
                    " updated_at = now() WHERE team_id = $1 AND id = $2",
                    team.value, id.value);
    return {};
  }

 private:
  Result<std::optional<domain::TrackedAccount>> first_account(const pqxx::result& rows) {
    if (rows.empty()) return std::optional<domain::TrackedAccount>{};
    return std::optional{to_account(rows[0])};
  }

  void attach_pairs(std::vector<domain::Stream>& streams) {
    if (streams.empty()) return;
    std::vector<std::int64_t> ids;
    std::unordered_map<std::int64_t, domain::Stream*> by_id;  // a team may keep 1,000 streams
    for (auto& stream : streams) {
      ids.push_back(stream.id.value);
      by_id.emplace(stream.id.value, &stream);
    }
    const auto rows = tx_.exec_params(
        "SELECT p.stream_id, p.id, p.account_id, a.display_handle, a.tier, p.segment_id, coalesce(s.name, s.description)"
        " FROM stream_pairs p JOIN tracked_accounts a ON a.id = p.account_id JOIN segments s ON s.id = p.segment_id"
        " WHERE p.stream_id = ANY($1::bigint[]) ORDER BY p.id",
        id_array(ids));
    for (const auto& row : rows) {
      auto* owner = by_id.at(row[0].as<std::int64_t>());
      owner->pairs.push_back(domain::StreamPair{row[1].as<std::int64_t>(), domain::AccountId{row[2].as<std::int64_t>()},
                                                row[3].as<std::string>(), *domain::parse_tier(row[4].c_str()),
                                                domain::SegmentId{row[5].as<std::int64_t>()},
                                                optional_of<std::string>(row[6])});
    }
  }

  pqxx::work& tx_;
};

}  // namespace

domain::Result<void> PgCampaignTransactions::transact(
    const std::function<domain::Result<void>(domain::CampaignStore&)>& work) {
  return with_connection(pool_, [&](pqxx::connection& connection) -> domain::Result<void> {
    pqxx::work tx(connection);
    PgCampaignStore store(tx);
    auto result = work(store);
    if (!result) return result;  // the destructor rolls back
    commit(tx);
    return result;
  });
}

}  // namespace leadstream::adapters::postgres
