#include "adapters/postgres/pg_classifier_cache.hpp"

#include "adapters/postgres/binary_array.hpp"
#include "adapters/postgres/pool_internal.hpp"

namespace leadstream::adapters::postgres {

using Answers = std::unordered_map<std::string, domain::CachedAnswer>;

domain::Result<Answers> PgClassifierCache::find(const std::vector<std::string>& keys) {
  if (keys.empty()) return Answers{};
  return with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<Answers> {
    pqxx::work tx(c);
    BinaryArray wanted{BinaryArray::Element::kText};
    for (const auto& key : keys) wanted.add_text(key);
    Answers answers;
    for (const auto& row : tx.exec_params(
             "SELECT answer_key, confidence, reason FROM classifier_answers WHERE answer_key = ANY($1::text[])",
             wanted.build())) {
      domain::CachedAnswer answer;
      if (!row[1].is_null()) answer.confidence = domain::parse_match_confidence(row[1].c_str());
      answer.reason = row[2].as<std::string>();
      answers.emplace(row[0].as<std::string>(), std::move(answer));
    }
    commit(tx);
    return answers;
  });
}

domain::Result<void> PgClassifierCache::store(
    const std::vector<std::pair<std::string, domain::CachedAnswer>>& answers) {
  if (answers.empty()) return {};
  return with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<void> {
    pqxx::work tx(c);
    using Element = BinaryArray::Element;
    BinaryArray keys{Element::kText}, confidences{Element::kText}, reasons{Element::kText};
    for (const auto& [key, answer] : answers) {
      keys.add_text(key);
      confidences.add_text(answer.confidence ? domain::to_string(*answer.confidence) : "");
      reasons.add_text(answer.reason);
    }
    tx.exec_params(
        "INSERT INTO classifier_answers (answer_key, confidence, reason)"
        " SELECT DISTINCT ON (k) k, NULLIF(c, ''), r FROM unnest($1::text[], $2::text[], $3::text[]) AS a(k, c, r)"
        " ON CONFLICT (answer_key) DO UPDATE SET confidence = excluded.confidence, reason = excluded.reason,"
        " answered_at = now()",
        keys.build(), confidences.build(), reasons.build());
    commit(tx);
    return {};
  });
}

}  // namespace leadstream::adapters::postgres
