#pragma once

// The hand-labelled bios of tests/data/classifier (see make_bios.py there), the profiles
// of tests/data/classifier_real (written and labelled apart from the lexicon: see its
// README), and the precision and recall a classifier reaches on them. Shared by the
// quality tests and bench/classifier.

#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "domain/model/sync.hpp"
#include "domain/ports/classifier.hpp"
#include "domain/rules/fnv1a.hpp"
#include "domain/rules/segment_rules.hpp"

namespace leadstream::support {

struct LabelledBio {
  domain::FollowerProfile profile;
  std::set<std::string> segments;  // the keys of the segments the person belongs to
};

struct LabelledSegment {
  std::string key;
  std::string description;
};

/// The three segments the bios are labelled for.
inline const std::vector<LabelledSegment>& labelled_segments() {
  static const std::vector<LabelledSegment> kSegments{
      {"ai_devtools_founders", "AI founders building developer tools"},
      {"b2b_saas_marketing_leaders", "Marketing leaders at B2B SaaS companies"},
      {"early_fintech_investors", "Early-stage investors in fintech"}};
  return kSegments;
}

/// The five segments the profiles of tests/data/classifier_real are labelled for, in the
/// words a user would type.
inline const std::vector<LabelledSegment>& real_segments() {
  static const std::vector<LabelledSegment> kSegments{{"founders_ceos", "Company founders and CEOs"},
                                                      {"ai_researchers", "AI researchers and scientists"},
                                                      {"ai_devtools_founders", "AI founders building developer tools"},
                                                      {"fintech_investors", "Early-stage fintech investors"},
                                                      {"marketing_leaders", "B2B SaaS marketing leaders"}};
  return kSegments;
}

/// The segments as a run gives them to the classifier: keywords derived from the
/// description, as POST /segments derives them. Segment ids are 1, 2, 3... in order.
inline std::vector<domain::SegmentTerms> labelled_segment_terms(
    const std::vector<LabelledSegment>& segments = labelled_segments()) {
  std::vector<domain::SegmentTerms> terms;
  std::int64_t id = 0;
  for (const auto& segment : segments) {
    terms.push_back({domain::SegmentId{++id}, segment.description, domain::derive_keywords(segment.description), {}});
  }
  return terms;
}

/// Which part of tests/data/classifier_real: the 70% anyone may read to improve the
/// classifier, the 30% held out that only the figures come from, or both.
enum class Part { kTuning, kHeldOut, kAll };

/// Whether a profile is in the held-out 30%: decided by its id alone (FNV-1a), so that
/// the split never moves when profiles are added.
inline bool is_held_out(std::string_view id) { return domain::Fnv1a().add(id).value() % 10 < 3; }

/// Every profiles_*.jsonl of `directory`, one {id, name, handle, bio, location, labels:
/// {segment key: bool}} a line, of the part asked for.
inline std::vector<LabelledBio> load_real_profiles(const std::string& directory, Part part,
                                                   const std::vector<std::string>& files = {"profiles_a.jsonl",
                                                                                            "profiles_b.jsonl"}) {
  std::vector<LabelledBio> profiles;
  for (const auto& file : files) {
    std::string path = directory;
    path.append("/").append(file);
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      const auto value = boost::json::parse(line);
      const auto& row = value.as_object();
      const auto id = boost::json::value_to<std::string>(row.at("id"));
      if (part != Part::kAll && is_held_out(id) != (part == Part::kHeldOut)) continue;
      LabelledBio bio;
      bio.profile.x_user_id = id;
      bio.profile.handle = boost::json::value_to<std::string>(row.at("handle"));
      bio.profile.display_name = boost::json::value_to<std::string>(row.at("name"));
      bio.profile.bio = boost::json::value_to<std::string>(row.at("bio"));
      bio.profile.location = boost::json::value_to<std::string>(row.at("location"));
      for (const auto& [key, member] : row.at("labels").as_object()) {
        if (member.as_bool()) bio.segments.insert(std::string(key));
      }
      profiles.push_back(std::move(bio));
    }
  }
  return profiles;
}

inline std::vector<LabelledBio> load_labelled_bios(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<LabelledBio> bios;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto value = boost::json::parse(line);
    const auto& row = value.as_object();
    LabelledBio bio;
    bio.profile.x_user_id = std::to_string(++number);
    bio.profile.display_name = boost::json::value_to<std::string>(row.at("name"));
    bio.profile.bio = boost::json::value_to<std::string>(row.at("bio"));
    bio.profile.location = boost::json::value_to<std::string>(row.at("location"));
    for (const auto& key : row.at("segments").as_array()) bio.segments.insert(boost::json::value_to<std::string>(key));
    bios.push_back(std::move(bio));
  }
  return bios;
}

struct SegmentQuality {
  int true_positives = 0;
  int false_positives = 0;
  int false_negatives = 0;
  int high_true_positives = 0;  // of them, matched with high confidence
  int high_false_positives = 0;
  std::vector<std::string> mistakes;  // "FP: bio" / "FN: bio", to tune the lexicon by
  double precision() const {
    const int predicted = true_positives + false_positives;
    return predicted == 0 ? 0.0 : static_cast<double>(true_positives) / predicted;
  }
  double recall() const {
    const int actual = true_positives + false_negatives;
    return actual == 0 ? 0.0 : static_cast<double>(true_positives) / actual;
  }
  /// Precision counting only high-confidence matches as positives.
  double precision_at_high() const {
    const int predicted = high_true_positives + high_false_positives;
    return predicted == 0 ? 0.0 : static_cast<double>(high_true_positives) / predicted;
  }
};

/// Per segment key: a match of either confidence counts as a positive. `terms` are the
/// segments as the classifier gets them (labelled_segment_terms(segments) by default).
inline std::map<std::string, SegmentQuality> evaluate(const domain::Classifier& classifier,
                                                      const std::vector<LabelledBio>& bios,
                                                      const std::vector<LabelledSegment>& segments,
                                                      const std::vector<domain::SegmentTerms>& terms) {
  const auto matcher = classifier.prepare(terms);
  std::map<std::string, SegmentQuality> quality;
  for (const auto& bio : bios) {
    const auto matches = matcher->matches(bio.profile);
    for (std::size_t i = 0; i < terms.size(); ++i) {
      const auto& key = segments[i].key;
      const auto match = std::find_if(matches.begin(), matches.end(),
                                      [&](const domain::Match& m) { return m.segment_id == terms[i].id; });
      const bool predicted = match != matches.end();
      const bool high = predicted && match->confidence == domain::MatchConfidence::kHigh;
      const bool actual = bio.segments.contains(key);
      auto& q = quality[key];
      if (high) ++(actual ? q.high_true_positives : q.high_false_positives);
      if (predicted && actual) ++q.true_positives;
      if (predicted && !actual) {
        ++q.false_positives;
        q.mistakes.push_back(std::string(high ? "FP high: " : "FP medium: ") + bio.profile.display_name + " | " +
                             bio.profile.bio);
      }
      if (!predicted && actual) {
        ++q.false_negatives;
        q.mistakes.push_back("FN: " + bio.profile.display_name + " | " + bio.profile.bio);
      }
    }
  }
  return quality;
}

inline std::map<std::string, SegmentQuality> evaluate(
    const domain::Classifier& classifier, const std::vector<LabelledBio>& bios,
    const std::vector<LabelledSegment>& segments = labelled_segments()) {
  return evaluate(classifier, bios, segments, labelled_segment_terms(segments));
}

/// The profiles of tests/data/classifier_real/profiles_c.jsonl: written apart from both
/// the lexicon and its tuning, and never tuned on (see the README there).
inline std::vector<LabelledBio> load_untuned_profiles(const std::string& directory) {
  return load_real_profiles(directory, Part::kAll, {"profiles_c.jsonl"});
}

/// The segments with feedback as a user gives it, on the leads among `reviewed`: for each
/// segment the classifier matches a profile to, good when its label says the person
/// belongs, bad (wrong_job) when not.
inline std::vector<domain::SegmentTerms> with_feedback(const domain::Classifier& classifier,
                                                       const std::vector<LabelledBio>& reviewed,
                                                       const std::vector<LabelledSegment>& segments) {
  auto terms = labelled_segment_terms(segments);
  const auto matcher = classifier.prepare(terms);
  for (const auto& bio : reviewed) {
    for (const auto& match : matcher->matches(bio.profile)) {
      const auto index = static_cast<std::size_t>(match.segment_id.value - 1);
      const bool good = bio.segments.contains(segments[index].key);
      terms[index].feedback.push_back(
          {bio.profile, good, good ? std::nullopt : std::optional<std::string>("wrong_job")});
    }
  }
  return terms;
}

/// The first `count` profiles the classifier matches to some segment (the leads a user
/// would review first), and all the others.
inline std::pair<std::vector<LabelledBio>, std::vector<LabelledBio>> split_reviewed(
    const domain::Classifier& classifier, const std::vector<LabelledBio>& bios,
    const std::vector<LabelledSegment>& segments, std::size_t count) {
  const auto matcher = classifier.prepare(labelled_segment_terms(segments));
  std::pair<std::vector<LabelledBio>, std::vector<LabelledBio>> split;
  for (const auto& bio : bios) {
    const bool lead = split.first.size() < count && !matcher->matches(bio.profile).empty();
    (lead ? split.first : split.second).push_back(bio);
  }
  return split;
}

}  // namespace leadstream::support
