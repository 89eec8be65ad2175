#include "domain/rules/local_classifier.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <utility>

#include "domain/rules/concept_lexicon.hpp"
#include "domain/rules/segment_vocabulary.hpp"
#include "domain/rules/text.hpp"

namespace leadstream::domain {
namespace {

/// Lower-cased runs of ASCII letters and digits: emoji, punctuation, '@' and '#' split words.
template <class Visit>
void for_each_word(std::string_view text, Visit&& visit) {
  std::string word;
  const auto flush = [&] {
    if (!word.empty()) visit(word);
    word.clear();
  };
  for (const char c : text) {
    // ASCII by hand: the <cctype> calls consult the locale for every byte of a million bios.
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      word += c;
    } else if (c >= 'A' && c <= 'Z') {
      word += static_cast<char>(c - 'A' + 'a');
    } else {
      flush();
    }
  }
  flush();
}

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> out;
  for_each_word(text, [&](const std::string& word) { out.push_back(word); });
  return out;
}

constexpr int kNoTerm = -1;
// How a term was found in a profile: in the bio, where people say what they do, or only
// in the name or location ("Ana | AI"), which is weaker evidence.
constexpr char kAbsent = 0;
constexpr char kWeak = 1;
constexpr char kStrong = 2;
// Descriptions with this many facets or more may match with one non-role facet missing.
constexpr int kFacetsForSlack = 4;

struct Facet {
  std::vector<int> terms;
  bool is_role = false;
  /// From appliedSearchFilters, not the description: always required, and not counted
  /// among the facets that let a long description miss one.
  bool from_filter = false;
};

struct FollowerRange {
  std::int64_t min;
  std::optional<std::int64_t> max;
};

struct CompiledSegment {
  SegmentId id;
  std::vector<Facet> facets;
  std::vector<int> excluded;                   // any of these in a profile: no match
  std::vector<FollowerRange> follower_ranges;  // empty: any follower count
  int missing_allowed = 0;                     // non-role description facets a match may miss
};

void sort_unique(std::vector<int>& terms) {
  std::ranges::sort(terms);
  terms.erase(std::ranges::unique(terms).begin(), terms.end());
}

bool in_ranges(const std::vector<FollowerRange>& ranges, std::int64_t followers) {
  return ranges.empty() || std::ranges::any_of(ranges, [&](const FollowerRange& range) {
           return followers >= range.min && (!range.max || followers < *range.max);
         });
}

class LocalMatcher final : public ProfileMatcher {
 public:
  LocalMatcher(std::unique_ptr<Stemmer> stemmer, const std::vector<SegmentTerms>& segments)
      : stemmer_(std::move(stemmer)) {
    for (const auto& segment : segments) segments_.push_back(compile(segment));
    present_.assign(term_names_.size(), 0);
    witness_.assign(term_names_.size(), {});
  }

  // domain::ProfileMatcher
  std::vector<Match> matches(const FollowerProfile& profile) override {
    mark_terms(profile.bio, kStrong);
    mark_terms(profile.display_name, kWeak);
    mark_terms(profile.location, kWeak);
    std::vector<Match> out;
    for (const auto& segment : segments_) {
      if (!in_ranges(segment.follower_ranges, profile.followers_count)) continue;
      if (auto match = score(segment)) out.push_back(std::move(*match));
    }
    for (const int term : touched_) present_[term] = kAbsent;
    touched_.clear();
    return out;
  }

 private:
  struct Word {
    std::string stem;
    int term = kNoTerm;
  };

  const Word& stem(const std::string& word) {
    // Numbers ("Acme 1234", "since 2019") are stems of their own, and each is rare: looked
    // up, never cached, or a million profiles would fill the cache with them.
    if (std::ranges::all_of(word, [](char c) { return c >= '0' && c <= '9'; })) {
      const auto term = term_ids_.find(word);
      number_ = Word{word, term == term_ids_.end() ? kNoTerm : term->second};
      return number_;
    }
    auto found = words_.find(word);
    if (found == words_.end()) {
      // Bios repeat words endlessly: stem each once. Bounded (a few MB), so that a long run
      // does not grow it with every rare word it meets.
      if (words_.size() > kMaxCachedWords) words_.clear();
      std::string stemmed = stemmer_->stem(word);
      auto term = term_ids_.find(stemmed);
      found = words_.emplace(word, Word{std::move(stemmed), term == term_ids_.end() ? kNoTerm : term->second}).first;
    }
    return found->second;
  }

  int intern(const std::string& key) {
    const auto [found, added] = term_ids_.emplace(key, static_cast<int>(term_names_.size()));
    if (added) term_names_.push_back(key);
    return found->second;
  }

  /// The term ids of a lexicon term ("machine learning" is the phrase of two stems).
  int intern_phrase(std::string_view phrase) {
    std::string key;
    for (const auto& word : words_of(phrase)) {
      if (!key.empty()) key += ' ';
      key += stemmer_->stem(word);
    }
    if (key.find(' ') != std::string::npos) has_phrases_ = true;
    return intern(key);
  }

  const Concept* concept_of(const std::string& key) {
    if (concept_index_.empty()) {
      for (const auto& known : concept_lexicon()) {
        for (const auto term : known.terms) {
          std::string stemmed;
          for (const auto& word : words_of(term)) stemmed += (stemmed.empty() ? "" : " ") + stemmer_->stem(word);
          concept_index_.emplace(stemmed, &known);  // the first concept listing a term owns it
        }
      }
    }
    const auto found = concept_index_.find(key);
    return found == concept_index_.end() ? nullptr : found->second;
  }

  Facet facet_of(const Concept& known) {
    Facet facet{{}, known.is_role};
    for (const auto term : known.terms) facet.terms.push_back(intern_phrase(term));
    return facet;
  }

  CompiledSegment compile(const SegmentTerms& segment) {
    CompiledSegment compiled{segment.id, {}, {}, {}, 0};
    std::vector<const Concept*> used;
    std::vector<std::string> stems;
    for (const auto& keyword : segment.keywords) {
      for (const auto& word : words_of(keyword)) {
        if (is_stop_word(word) || is_filler_word(word)) continue;
        stems.push_back(stemmer_->stem(word));
      }
    }
    for (std::size_t i = 0; i < stems.size(); ++i) {
      const Concept* known = nullptr;
      if (i + 1 < stems.size()) known = concept_of(stems[i] + " " + stems[i + 1]);
      if (known) {
        ++i;  // the phrase took both words
      } else {
        known = concept_of(stems[i]);
      }
      if (!known) {
        compiled.facets.push_back(Facet{{intern(stems[i])}, false});
        continue;
      }
      if (std::ranges::find(used, known) != used.end()) continue;
      used.push_back(known);
      compiled.facets.push_back(facet_of(*known));
      for (const auto contradicting : known->contradicted_by) {
        if (const auto* other = find_concept(contradicting)) {
          for (const auto term : other->terms) compiled.excluded.push_back(intern_phrase(term));
        }
      }
    }
    for (const auto& keyword : segment.exclude_keywords) compiled.excluded.push_back(intern_phrase(keyword));
    for (const auto& [group, labels] : segment.applied_search_filters) add_filter_facet(compiled, group, labels);
    for (const auto& value : segment.follower_count_tiers) {
      const auto* tier = find_follower_count_tier(value);
      if (tier) compiled.follower_ranges.push_back({tier->min, tier->max});
    }
    // Every facet of a short description is essential: "AI founders" who do not build for
    // developers are the near misses users complain about. Long descriptions may miss one;
    // filter facets never count toward it.
    const auto described = std::ranges::count_if(compiled.facets, [](const Facet& f) { return !f.from_filter; });
    compiled.missing_allowed = described >= kFacetsForSlack ? 1 : 0;
    return compiled;
  }

  /// A filter group's labels are read with the description. A label naming what a facet
  /// of the description already names (a shared term: "Researcher" and "researchers")
  /// widens that facet to the label's words, and a role group makes it a role; the
  /// description then says which of the group's labels it means, and the others add
  /// nothing. A group the description does not mention is one more required facet: any of
  /// its labels.
  void add_filter_facet(CompiledSegment& compiled, std::string_view name, const std::vector<std::string>& labels) {
    const auto* group = find_filter_group(name);
    if (!group) return;
    Facet own{{}, group->is_role, true};
    bool merged = false;
    for (const auto& text : labels) {
      const auto* label = find_filter_label(*group, text);
      if (!label) continue;
      const auto terms = label_terms(*label);
      bool named = false;
      for (auto& facet : compiled.facets) {
        if (facet.from_filter || !shares_term(facet.terms, terms)) continue;
        facet.terms.insert(facet.terms.end(), terms.begin(), terms.end());
        sort_unique(facet.terms);
        facet.is_role = facet.is_role || group->is_role;
        named = true;
      }
      if (!named) own.terms.insert(own.terms.end(), terms.begin(), terms.end());
      merged = merged || named;
    }
    sort_unique(own.terms);
    if (!merged && !own.terms.empty()) compiled.facets.push_back(std::move(own));
  }

  std::vector<int> label_terms(const FilterLabel& label) {
    std::vector<int> terms;
    const auto add = [&](std::string_view term) { terms.push_back(intern_phrase(term)); };
    if (const auto* known = find_concept(label.concept_name)) std::ranges::for_each(known->terms, add);
    std::ranges::for_each(label.terms, add);
    sort_unique(terms);
    return terms;
  }

  static bool shares_term(const std::vector<int>& facet, const std::vector<int>& terms) {
    return std::ranges::any_of(terms, [&](int term) { return std::ranges::find(facet, term) != facet.end(); });
  }

  void mark(int term, const std::string& witness, char strength) {
    if (term == kNoTerm || present_[term] >= strength) return;
    if (present_[term] == kAbsent) touched_.push_back(term);
    present_[term] = strength;
    witness_[term] = witness;
  }

  void mark_terms(std::string_view text, char strength) {
    // Members reused from profile to profile: a million profiles, not a million allocations.
    previous_stem_.clear();
    previous_word_.clear();
    bool previous_negated = false;
    bool negating = false;  // a negation was read, and no word it applies to yet
    for_each_word(text, [&](const std::string& word) {
      // "No AI, just fast deploys" says the opposite of "AI", "not a developer" of
      // "developer": the word a negation applies to is no evidence.
      const bool article = word == "a" || word == "an" || word == "the";
      const bool negated = negating && !article;
      negating = is_negation(word) || (negating && article);
      const auto& [stemmed, term] = stem(word);
      if (!negated) mark(term, word, strength);
      if (has_phrases_ && !previous_stem_.empty() && !previous_negated) {
        phrase_.assign(previous_stem_).append(1, ' ').append(stemmed);
        const auto phrase = term_ids_.find(phrase_);
        if (phrase != term_ids_.end()) mark(phrase->second, previous_word_ + ' ' + word, strength);
      }
      previous_stem_.assign(stemmed);
      previous_word_.assign(word);
      previous_negated = negated;
    });
  }

  static bool is_negation(std::string_view word) {
    return word == "no" || word == "not" || word == "non" || word == "never" || word == "without" || word == "nor";
  }

  /// The profile's word that matched the facet (nullptr when none did), and how strongly.
  std::pair<const std::string*, char> found(const Facet& facet) const {
    std::pair<const std::string*, char> best{nullptr, kAbsent};
    for (const int term : facet.terms) {
      if (present_[term] > best.second) best = {&witness_[term], present_[term]};
      if (best.second == kStrong) break;
    }
    return best;
  }

  std::optional<Match> score(const CompiledSegment& segment) const {
    if (segment.facets.empty()) return std::nullopt;
    if (std::ranges::any_of(segment.excluded, [&](int term) { return present_[term] != 0; })) return std::nullopt;
    std::vector<std::string> reasons;
    int missing = 0;
    int weak = 0;  // found only in the name or location, not in the bio
    for (const auto& facet : segment.facets) {
      const auto [witness, strength] = found(facet);
      if (!witness && (facet.is_role || facet.from_filter)) return std::nullopt;
      if (!witness) {
        ++missing;
        continue;
      }
      if (strength == kWeak) ++weak;
      if (std::ranges::find(reasons, *witness) == reasons.end()) reasons.push_back(*witness);
    }
    const auto facets = static_cast<int>(segment.facets.size());
    if (missing > segment.missing_allowed) return std::nullopt;
    const double score = (facets - missing - 0.5 * weak) / facets;
    const auto confidence = missing == 0 && weak == 0 ? MatchConfidence::kHigh : MatchConfidence::kMedium;
    return Match{segment.id, confidence, score, std::move(reasons)};
  }

  std::unique_ptr<Stemmer> stemmer_;
  std::vector<CompiledSegment> segments_;
  std::unordered_map<std::string, int> term_ids_;  // stem, or "stem stem" for a phrase
  std::vector<std::string> term_names_;
  bool has_phrases_ = false;
  std::unordered_map<std::string, const Concept*> concept_index_;
  static constexpr std::size_t kMaxCachedWords = 50'000;
  std::unordered_map<std::string, Word> words_;  // a profile word, its stem and term
  Word number_;                                  // stem()'s answer for a number
  std::vector<char> present_;                    // per term, its strength in the profile being scored
  std::vector<std::string> witness_;
  std::vector<int> touched_;
  std::string previous_stem_, previous_word_, phrase_;  // mark_terms' buffers
};

}  // namespace

LocalClassifier::LocalClassifier(std::function<std::unique_ptr<Stemmer>()> make_stemmer)
    : make_stemmer_(std::move(make_stemmer)) {}

std::unique_ptr<ProfileMatcher> LocalClassifier::prepare(const std::vector<SegmentTerms>& segments) const {
  return std::make_unique<LocalMatcher>(make_stemmer_(), segments);
}

}  // namespace leadstream::domain
