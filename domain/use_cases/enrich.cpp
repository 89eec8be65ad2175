#include "domain/use_cases/enrich.hpp"

#include "domain/rules/contact_extractor.hpp"

namespace leadstream::domain {
namespace {

/// Adds to `into` what `found` knows better: a LinkedIn URL found with more confidence, a
/// verified address over an unverified one, a phone where there was none. How many of
/// `wants` it newly answered.
int merge(Enrichment& into, const Enrichment& found, const EnrichWants& wants) {
  int answered = 0;
  if (found.linkedin && (!into.linkedin || found.linkedin->confidence > into.linkedin->confidence)) {
    if (wants.linkedin && !into.linkedin) ++answered;
    into.linkedin = found.linkedin;
  }
  if (found.email && (!into.email || (into.email->status != "verified" && found.email->status == "verified"))) {
    if (wants.email && !has_email(into, wants) && has_email(found, wants)) ++answered;
    into.email = found.email;
  }
  if (found.phone && !into.phone) into.phone = found.phone;
  return answered;
}

/// What is still missing of `wants`, as much of it as `budget` credits pay for: LinkedIn
/// first, the cheaper route to a person.
EnrichWants still_missing(const Enrichment& known, const EnrichWants& wants, std::int64_t budget, std::int64_t price) {
  EnrichWants missing{.verified_email_only = wants.verified_email_only};
  std::int64_t cost = 0;
  if (wants.linkedin && !has_linkedin(known) && cost + price <= budget) {
    missing.linkedin = true;
    cost += price;
  }
  if (wants.email && !has_email(known, wants) && cost + price <= budget) missing.email = true;
  return missing;
}

int count(const EnrichWants& wants) { return (wants.linkedin ? 1 : 0) + (wants.email ? 1 : 0); }

/// One person of a batch: what is known, and what the provider is to be asked.
struct Person {
  const FollowerProfile* profile;
  Enrichment before;
  Enrichment now;
  EnrichWants missing;
};

/// Asks the provider for one batch, paying for what it finds. Credits charged.
Result<std::int64_t> ask_provider_batch(EnrichDeps deps, TeamId team, std::vector<Person*>& batch) {
  const auto price = deps.settings.credits_per_result;
  std::int64_t cost = 0;
  std::vector<EnrichTarget> targets;
  targets.reserve(batch.size());
  for (const auto* person : batch) {
    const auto& p = *person->profile;
    cost += count(person->missing) * price;
    targets.push_back({p.x_user_id, p.handle, p.display_name, p.bio, p.url, person->missing});
  }
  const auto reason =
      std::string(deps.source) +
      (batch.size() == 1 ? " @" + batch.front()->profile->handle : " " + std::to_string(batch.size()) + " new lead(s)");
  std::optional<SpendingCap> cap;
  if (deps.budget != nullptr) {
    auto budget = deps.budget->cap(team);
    if (!budget) return budget.error();
    cap = *budget;
  }
  auto hold = deps.credits.hold(team, cost, reason, deps.clock.now() + deps.settings.hold_lease, cap);
  if (!hold) return hold.error();
  auto answer = deps.provider->enrich(targets);
  if (!answer || answer->size() != batch.size()) {
    (void)deps.credits.settle(team, *hold, 0, reason + ": the provider failed");
    if (!answer) return answer.error();
    return Error{ErrorCode::kUpstream, "the enrichment provider answered for another number of contacts"};
  }
  std::int64_t found = 0;
  for (std::size_t i = 0; i < batch.size(); ++i) found += merge(batch[i]->now, (*answer)[i], batch[i]->missing);
  auto settled = deps.credits.settle(team, *hold, found * price, reason);
  if (!settled && settled.error().code != ErrorCode::kGone) return settled.error();
  return settled ? found * price : 0;
}

/// Whether a batch the credits or the budget could not pay for all of may be halved.
bool can_shrink(const Error& error, const std::vector<Person*>& batch) {
  return batch.size() > 1 && (error.code == ErrorCode::kCreditsExhausted || error.code == ErrorCode::kBudgetExhausted);
}

/// The waterfall for `persons`, whose `now` holds what is known: their own contacts, then
/// the provider for what is still missing, 100 a call; saves what changed. The provider
/// step stops at its first failure (kept in `stopped`).
Result<PeopleEnriched> run_waterfall(EnrichDeps deps, TeamId team, std::vector<Person>& persons,
                                     const EnrichWants& wants) {
  PeopleEnriched report;
  std::vector<Person*> asking;
  for (auto& person : persons) {
    merge(person.now, extract_contacts(*person.profile), wants);
    person.missing =
        still_missing(person.now, wants, deps.settings.max_credits_per_lead, deps.settings.credits_per_result);
    if (count(person.missing) > 0) asking.push_back(&person);
  }
  for (std::size_t first = 0; deps.provider && first < asking.size() && !report.stopped; first += Enricher::kMaxBatch) {
    std::vector<Person*> batch(
        asking.begin() + static_cast<std::ptrdiff_t>(first),
        asking.begin() + static_cast<std::ptrdiff_t>(std::min(first + Enricher::kMaxBatch, asking.size())));
    auto charged = ask_provider_batch(deps, team, batch);
    // Credits or budget short of the whole batch: the first half, down to one person, may
    // still be paid for; the rest waits for more credits or the next month.
    std::optional<Error> short_of;
    while (!charged && can_shrink(charged.error(), batch)) {
      short_of = charged.error();
      batch.resize(batch.size() / 2);
      charged = ask_provider_batch(deps, team, batch);
    }
    if (!charged) {
      report.stopped = charged.error();
      break;
    }
    report.credits_charged += *charged;
    if (short_of) report.stopped = short_of;
  }
  for (auto& person : persons) {
    if (!person.now.found_anything() || (person.now.same_contacts(person.before) && person.now.enriched_at)) continue;
    person.now.enriched_at = deps.clock.now();
    if (auto saved = deps.store.save_enrichment(team, person.profile->x_user_id, person.now); !saved) {
      return saved.error();
    }
  }
  for (const auto& person : persons) {
    if ((wants.linkedin && has_linkedin(person.now)) || (wants.email && has_email(person.now, wants))) {
      ++report.enriched;
    }
  }
  return report;
}

}  // namespace

Result<PeopleEnriched> enrich_people(EnrichDeps deps, TeamId team, const std::vector<FollowerProfile>& people,
                                     EnrichWants wants) {
  if (people.empty() || count(wants) == 0) return PeopleEnriched{};
  std::vector<std::string> ids;
  ids.reserve(people.size());
  for (const auto& profile : people) ids.push_back(profile.x_user_id);
  auto known = deps.store.enrichments(team, ids);
  if (!known) return known.error();
  std::vector<Person> persons;
  persons.reserve(people.size());
  for (const auto& profile : people) {
    const auto found = known->find(profile.x_user_id);
    auto before = found == known->end() ? Enrichment{} : found->second;
    persons.push_back(Person{&profile, before, before, {}});
  }
  return run_waterfall(deps, team, persons, wants);
}

std::string EnrichOutcome::kind() const {
  const int found =
      (wants.linkedin && has_linkedin(enrichment) ? 1 : 0) + (wants.email && has_email(enrichment, wants) ? 1 : 0);
  if (found == 0) return "not_found";
  return found == count(wants) ? "resolved" : "partial";
}

Result<EnrichOutcome> enrich_person(EnrichDeps deps, TeamId team, const FollowerProfile& profile,
                                    std::optional<Enrichment> known, EnrichWants wants) {
  const auto before = known.value_or(Enrichment{});
  std::vector<Person> persons{Person{&profile, before, before, {}}};
  auto report = run_waterfall(deps, team, persons, wants);
  if (!report) return report.error();
  // One person asked for by a caller: the provider failing is the answer.
  if (report->stopped) return *report->stopped;
  auto balance = deps.credits.balance(team);
  if (!balance) return balance.error();
  return EnrichOutcome{.x_user_id = profile.x_user_id,
                       .wants = wants,
                       .enrichment = std::move(persons.front().now),
                       .credits_charged = report->credits_charged,
                       .credits_remaining = *balance};
}

Result<EnrichOutcome> look_up_contacts(LookupDeps deps, TeamId team, std::string_view handle, EnrichWants wants,
                                       const std::string& kind) {
  auto resolved = deps.handles.resolve(handle);
  if (!resolved) {
    auto error = resolved.error();
    if (error.code != ErrorCode::kHandleNotFound && error.code != ErrorCode::kHandleProtected) {
      error.code = ErrorCode::kHandleLookupFailed;
    }
    return error;
  }
  auto profile = resolved->profile.value_or(FollowerProfile{});
  profile.handle = resolved->handle;
  if (profile.x_user_id.empty()) profile.x_user_id = resolved->x_user_id.value_or("@" + resolved->handle);
  deps.enrich.source = "lookup";
  auto known = deps.enrich.store.enrichments(team, {profile.x_user_id});
  if (!known) return known.error();
  const auto stored = known->find(profile.x_user_id);
  auto outcome = enrich_person(deps.enrich, team, profile,
                               stored == known->end() ? std::nullopt : std::optional(stored->second), wants);
  if (!outcome) return outcome;
  LookupRecord record{.kind = kind,
                      .handle = profile.handle,
                      .x_user_id = profile.x_user_id,
                      .wants = wants,
                      .credits_charged = outcome->credits_charged};
  if (wants.linkedin && has_linkedin(outcome->enrichment)) record.found.linkedin = outcome->enrichment.linkedin;
  if (wants.email && has_email(outcome->enrichment, wants)) record.found.email = outcome->enrichment.email;
  if (auto recorded = deps.lookups.record(team, std::move(record)); !recorded) return recorded.error();
  return outcome;
}

Result<EnrichOutcome> enrich_lead(EnrichDeps deps, TeamId team, LeadId id, EnrichWants wants) {
  auto lead = deps.reader.lead(team, id);
  if (!lead) return lead.error();
  if (!*lead) return Error{ErrorCode::kLeadNotFound, "Lead not found."};
  auto outcome = enrich_person(deps, team, (*lead)->profile, (*lead)->enrichment, wants);
  if (outcome) outcome->lead_id = id;
  return outcome;
}

}  // namespace leadstream::domain
