#pragma once

// The hand-labelled bios of tests/data/classifier (see make_bios.py there) and the
// precision and recall a classifier reaches on them. Shared by the quality test and
// bench/classifier.

#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "domain/model/sync.hpp"
#include "domain/ports/classifier.hpp"
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

/// The segments as a run gives them to the classifier: keywords derived from the
/// description, as POST /segments derives them. Segment ids are 1, 2, 3 in order.
inline std::vector<domain::SegmentTerms> labelled_segment_terms() {
  std::vector<domain::SegmentTerms> terms;
  std::int64_t id = 0;
  for (const auto& segment : labelled_segments()) {
    terms.push_back({domain::SegmentId{++id}, segment.description, domain::derive_keywords(segment.description), {}});
  }
  return terms;
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
  std::vector<std::string> mistakes;  // "FP: bio" / "FN: bio", to tune the lexicon by
  double precision() const {
    const int predicted = true_positives + false_positives;
    return predicted == 0 ? 0.0 : static_cast<double>(true_positives) / predicted;
  }
  double recall() const {
    const int actual = true_positives + false_negatives;
    return actual == 0 ? 0.0 : static_cast<double>(true_positives) / actual;
  }
};

/// Per segment key: a match of either confidence counts as a positive.
inline std::map<std::string, SegmentQuality> evaluate(const domain::Classifier& classifier,
                                                      const std::vector<LabelledBio>& bios) {
  const auto terms = labelled_segment_terms();
  const auto matcher = classifier.prepare(terms);
  std::map<std::string, SegmentQuality> quality;
  for (const auto& bio : bios) {
    const auto matches = matcher->matches(bio.profile);
    for (std::size_t i = 0; i < terms.size(); ++i) {
      const auto& key = labelled_segments()[i].key;
      const bool predicted = std::any_of(matches.begin(), matches.end(),
                                         [&](const domain::Match& m) { return m.segment_id == terms[i].id; });
      const bool actual = bio.segments.contains(key);
      auto& q = quality[key];
      if (predicted && actual) ++q.true_positives;
      if (predicted && !actual) {
        ++q.false_positives;
        q.mistakes.push_back("FP: " + bio.profile.bio);
      }
      if (!predicted && actual) {
        ++q.false_negatives;
        q.mistakes.push_back("FN: " + bio.profile.bio);
      }
    }
  }
  return quality;
}

}  // namespace leadstream::support
