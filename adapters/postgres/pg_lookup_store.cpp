#include "adapters/postgres/pg_lookup_store.hpp"

#include "adapters/postgres/pool_internal.hpp"

namespace leadstream::adapters::postgres {
namespace {

domain::LookupRecord read_lookup(const pqxx::row& row) {
  domain::LookupRecord lookup;
  lookup.id = row[0].as<std::int64_t>();
  lookup.kind = row[1].as<std::string>();
  lookup.handle = row[2].as<std::string>();
  lookup.x_user_id = row[3].as<std::string>();
  lookup.wants = {row[4].as<bool>(), row[5].as<bool>(), row[6].as<bool>()};
  if (!row[7].is_null()) lookup.found.linkedin = domain::FoundLinkedin{row[7].as<std::string>(), row[8].as<double>()};
  if (!row[9].is_null()) {
    lookup.found.email = domain::FoundEmail{row[9].as<std::string>(), row[10].as<std::string>(),
                                            row[11].as<std::string>(), row[12].as<double>(0.0)};
  }
  lookup.credits_charged = row[13].as<std::int64_t>();
  lookup.created_at = from_epoch_us(row[14].as<std::int64_t>());
  return lookup;
}

const std::string kLookupColumns =
    "id, kind, handle, x_user_id, wants_linkedin, wants_email, verified_only, linkedin_url, linkedin_confidence,"
    " email, email_status, email_provider, email_confidence, credits_charged, " +
    us("created_at");

}  // namespace

domain::Result<domain::LookupRecord> PgLookupStore::record(domain::TeamId team, domain::LookupRecord lookup) {
  return with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<domain::LookupRecord> {
    pqxx::work tx(c);
    const auto& linkedin = lookup.found.linkedin;
    const auto& email = lookup.found.email;
    const auto row = tx.exec_params(
        "INSERT INTO enrichment_lookups (team_id, kind, handle, x_user_id, wants_linkedin, wants_email,"
        " verified_only, linkedin_url, linkedin_confidence, email, email_status, email_provider,"
        " email_confidence, credits_charged)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING " +
            kLookupColumns,
        team.value, lookup.kind, lookup.handle, lookup.x_user_id, lookup.wants.linkedin, lookup.wants.email,
        lookup.wants.verified_email_only, linkedin ? std::optional(linkedin->url) : std::nullopt,
        linkedin ? std::optional(linkedin->confidence) : std::nullopt,
        email ? std::optional(email->address) : std::nullopt, email ? std::optional(email->status) : std::nullopt,
        email ? std::optional(email->provider) : std::nullopt, email ? std::optional(email->confidence) : std::nullopt,
        lookup.credits_charged)[0];
    auto recorded = read_lookup(row);
    commit(tx);
    return recorded;
  });
}

domain::Result<domain::LookupPage> PgLookupStore::list(domain::TeamId team, const std::string& kind, int limit,
                                                       int offset) {
  return with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<domain::LookupPage> {
    pqxx::nontransaction tx(c);
    domain::LookupPage page;
    for (const auto& row : tx.exec_params("SELECT " + kLookupColumns +
                                              " FROM enrichment_lookups WHERE team_id = $1 AND kind = $2"
                                              " ORDER BY id DESC LIMIT $3 OFFSET $4",
                                          team.value, kind, limit, offset)) {
      page.items.push_back(read_lookup(row));
    }
    page.total = tx.exec_params("SELECT count(*) FROM enrichment_lookups WHERE team_id = $1 AND kind = $2", team.value,
                                kind)[0][0]
                     .as<int>();
    return page;
  });
}

}  // namespace leadstream::adapters::postgres
