#include "domain/rules/local_classifier.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>
#include <utility>

#include "domain/rules/concept_lexicon.hpp"
#include "domain/rules/segment_structure.hpp"
#include "domain/rules/segment_vocabulary.hpp"
#include "domain/rules/text.hpp"

namespace leadstream::domain {
namespace {

/// The ASCII letters a Latin letter with a diacritic is written without (U+00C0 to
/// U+017F: "é" is "e", "ß" is "ss", "ł" is "l"), lower case; empty for the two signs
/// among them (× and ÷).
std::string_view folded_latin(unsigned code_point) {
  // U+00C0..U+00FF, one entry each.
  static constexpr std::array<std::string_view, 64> kLatin1{
      "a", "a", "a", "a", "a", "a", "ae", "c", "e",  "e",  "e", "e", "i", "i", "i", "i", "d",  "n", "o",  "o", "o", "o",
      "o", "",  "o", "u", "u", "u", "u",  "y", "th", "ss", "a", "a", "a", "a", "a", "a", "ae", "c", "e",  "e", "e", "e",
      "i", "i", "i", "i", "d", "n", "o",  "o", "o",  "o",  "o", "",  "o", "u", "u", "u", "u",  "y", "th", "y"};
  // U+0100..U+017F, in runs: each entry is the first code point of a run and its letter.
  static constexpr std::array<std::pair<unsigned, std::string_view>, 22> kExtendedA{
      {{0x100, "a"}, {0x106, "c"}, {0x10E, "d"}, {0x112, "e"}, {0x11C, "g"}, {0x124, "h"},  {0x128, "i"}, {0x132, "ij"},
       {0x134, "j"}, {0x136, "k"}, {0x139, "l"}, {0x143, "n"}, {0x14C, "o"}, {0x152, "oe"}, {0x154, "r"}, {0x15A, "s"},
       {0x162, "t"}, {0x168, "u"}, {0x174, "w"}, {0x176, "y"}, {0x179, "z"}, {0x17F, "s"}}};
  if (code_point >= 0xC0 && code_point <= 0xFF) return kLatin1[code_point - 0xC0];
  if (code_point < 0x100 || code_point > 0x17F) return {};
  const auto run = std::ranges::find_if(kExtendedA, [&](const auto& entry) { return entry.first > code_point; });
  return std::prev(run)->second;
}

/// The Latin letter with a diacritic whose two bytes start at `at`, written without it;
/// empty for anything else.
std::string_view latin_letter_at(std::string_view text, std::size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  if (lead < 0xC3 || lead > 0xC5 || at + 1 == text.size()) return {};
  const auto next = static_cast<unsigned char>(text[at + 1]);
  if ((next & 0xC0U) != 0x80U) return {};
  return folded_latin(((lead & 0x1FU) << 6U) | (next & 0x3FU));
}

/// Whether the bytes between two words end a clause: "Founder of Acme. Podcast host" says
/// two things, and the podcast is not what was founded.
bool breaks_clause(unsigned char byte) {
  return byte == '.' || byte == ',' || byte == ';' || byte == '|' || byte == '!' || byte == '?' || byte == '(' ||
         byte == ')' || byte == '\n' || byte == 0xE2 /* the lead byte of dashes and bullets */ || byte == 0xC2;
}

/// Lower-cased runs of letters and digits, Latin letters written without their accents;
/// emoji, punctuation, '@', '#' and other scripts split words. `visit(word, handle,
/// new_clause)`: `handle` for a word right after an '@' (an X handle), `new_clause` for
/// the first word after a clause break.
template <class Visit>
void for_each_word(std::string_view text, Visit&& visit) {
  std::string word;
  bool handle = false;
  bool after_at = false;
  bool clause_break = false;
  const auto flush = [&] {
    if (!word.empty()) visit(word, handle, clause_break);
    if (!word.empty()) clause_break = false;
    word.clear();
  };
  const auto letter = [&](std::string_view letters) {
    if (word.empty()) handle = after_at;
    word += letters;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    // ASCII by hand: the <cctype> calls consult the locale for every byte of a million bios.
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      letter(std::string_view(&text[i], 1));
    } else if (c >= 'A' && c <= 'Z') {
      const char lowered = static_cast<char>(c - 'A' + 'a');
      letter(std::string_view(&lowered, 1));
    } else if (const auto folded = latin_letter_at(text, i); !folded.empty()) {
      letter(folded);
      ++i;  // its second byte
    } else {
      flush();
      clause_break = clause_break || breaks_clause(c);
    }
    after_at = c == '@';
  }
  flush();
}

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> out;
  for_each_word(text, [&](const std::string& word, bool, bool) { out.push_back(word); });
  return out;
}

/// What a display name says beyond the person's name: "Ana Silva | AI founder" says "AI
/// founder". The name itself is no evidence ("Dev Silva" is no developer).
std::string_view tagline_of(std::string_view name) {
  static constexpr std::array<std::string_view, 9> kSeparators{
      "|", "\xe2\x80\xa2", "\xc2\xb7", "/", " - ", "\xe2\x80\x94", "\xe2\x80\x93", ",", "@"};
  std::size_t cut = std::string_view::npos;
  std::size_t width = 0;
  for (const auto separator : kSeparators) {
    const auto at = name.find(separator);
    if (at < cut) cut = at, width = separator.size();
  }
  return cut == std::string_view::npos ? std::string_view() : name.substr(cut + width);
}

/// Words before a role that say it is not the person's now: a past one ("ex-founder",
/// "former CEO", "previously founded") or a wished-for one ("aspiring founder").
bool is_not_now(std::string_view word) {
  static constexpr std::array<std::string_view, 15> kWords{"ex",     "former",  "formerly", "previously", "previous",
                                                           "prev",   "past",    "retired",  "exited",     "aspiring",
                                                           "future", "wannabe", "once",     "recovering", "was"};
  return std::ranges::find(kWords, word) != kWords.end();
}

/// What a founder or CEO may run that is no company: "founder of a reading group", "CEO of
/// my household".
bool is_not_a_company(std::string_view word) {
  // "Labs" is left out: "Founder of Acme Labs" is a company.
  static constexpr std::array<std::string_view, 35> kWords{
      "lab",        "workshop", "workshops", "podcast",    "pod",       "newsletter", "community",
      "club",       "clubs",    "meetup",    "meetups",    "group",     "chapter",    "society",
      "nonprofit",  "ngo",      "charity",   "initiative", "movement",  "collective", "school",
      "university", "student",  "students",  "org",        "household", "family",     "vibes",
      "naps",       "chaos",    "memes",     "house",      "band",      "blog",       "conference"};
  return std::ranges::find(kWords, word) != kWords.end();
}

/// Verbs that, before an @handle, say the person founded it: "building @acme", "started @acme".
bool is_founding_verb(std::string_view word) {
  return word == "building" || word == "started" || word == "starting" || word == "launched" || word == "founded" ||
         word == "cofounded" || word == "founding";
}

constexpr int kNoTerm = -1;
// How a term was found in a profile: in the bio, where people say what they do, or only
// in the tagline of the display name or in the location ("Ana | AI"), which is weaker
// evidence.
constexpr char kAbsent = 0;
constexpr char kWeak = 1;
constexpr char kStrong = 2;
// How well a role was found: not now (past or wished for), then now, weakly or strongly.
constexpr char kNotNowWeak = 1;
constexpr char kNotNowStrong = 2;
constexpr char kNowWeak = 3;
constexpr char kNowStrong = 4;
// Descriptions with this many topic facets or more may match with one of them missing.
constexpr int kFacetsForSlack = 4;
// What a founding verb before an @handle marks: one more word of the founder concept.
constexpr std::string_view kFounderSignal = "<founding verb before a handle>";

struct Facet {
  std::vector<int> terms;
  bool is_role = false;
  /// The description's own roles: a past or wished-for one is no match. A facet a filter
  /// label made a role ("Developer" among job roles) is not what the description asks the
  /// person to be now, and matches medium.
  bool own_role = false;
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
  bool companies_only = false;                 // a founder of a lab or a podcast does not count
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
  LocalMatcher(std::unique_ptr<Stemmer> stemmer, const Gazetteer& gazetteer, const std::vector<SegmentTerms>& segments)
      : stemmer_(std::move(stemmer)), gazetteer_(gazetteer) {
    for (const auto& segment : segments) segments_.push_back(compile(segment));
    present_.assign(term_names_.size(), kAbsent);
    role_grade_.assign(term_names_.size(), kAbsent);
    company_grade_.assign(term_names_.size(), kAbsent);
    witness_.assign(term_names_.size(), {});
    is_role_term_.resize(term_names_.size(), false);
  }

  // domain::ProfileMatcher
  std::vector<Match> matches(const FollowerProfile& profile) override {
    mark_terms(profile.bio, kStrong);
    mark_terms(tagline_of(profile.display_name), kWeak);
    if (!substring_terms_.empty()) {
      mark_substrings(profile.bio, kStrong);
      mark_substrings(tagline_of(profile.display_name), kWeak);
    }
    mark_terms(profile.location, kWeak);
    std::vector<Match> out;
    for (const auto& segment : segments_) {
      if (!in_ranges(segment.follower_ranges, profile.followers_count)) continue;
      if (auto match = score(segment)) out.push_back(std::move(*match));
    }
    for (const int term : touched_) present_[term] = role_grade_[term] = company_grade_[term] = kAbsent;
    touched_.clear();
    return out;
  }

 private:
  struct Word {
    std::string stem;
    int term = kNoTerm;
    int exact = kNoTerm;  // the term of the word as written ("=founded"), if a lexicon names it so
  };

  struct Token {
    std::string text;
    bool handle = false;
    bool new_clause = false;  // the first word after a clause break
  };

  const Word& stem(const std::string& word) {
    // Numbers ("Acme 1234", "since 2019") are stems of their own, and each is rare: looked
    // up, never cached, or a million profiles would fill the cache with them.
    if (std::ranges::all_of(word, [](char c) { return c >= '0' && c <= '9'; })) {
      const auto term = term_ids_.find(word);
      number_ = Word{word, term == term_ids_.end() ? kNoTerm : term->second, kNoTerm};
      return number_;
    }
    auto found = words_.find(word);
    if (found == words_.end()) {
      // Bios repeat words endlessly: stem each once. Bounded (a few MB), so that a long run
      // does not grow it with every rare word it meets.
      if (words_.size() > kMaxCachedWords) words_.clear();
      std::string stemmed = stemmer_->stem(word);
      const auto term = term_ids_.find(stemmed);
      const auto exact = term_ids_.find("=" + word);
      found = words_
                  .emplace(word, Word{std::move(stemmed), term == term_ids_.end() ? kNoTerm : term->second,
                                      exact == term_ids_.end() ? kNoTerm : exact->second})
                  .first;
    }
    return found->second;
  }

  int intern(const std::string& key) {
    const auto [found, added] = term_ids_.emplace(key, static_cast<int>(term_names_.size()));
    if (added) term_names_.push_back(key);
    return found->second;
  }

  /// The stems of a term, space-separated ("machine learning" is the phrase of two
  /// stems); a term written "=word" is that word exactly, unstemmed.
  std::string key_of(std::string_view term) {
    if (term.starts_with("=")) return std::string(term);
    std::string key;
    for (const auto& word : words_of(term)) {
      if (!key.empty()) key += ' ';
      key += stemmer_->stem(word);
    }
    return key;
  }

  int intern_phrase(std::string_view phrase) {
    if (phrase.starts_with("~")) return intern_substring(phrase.substr(1));
    auto key = key_of(phrase);
    if (key.find(' ') != std::string::npos) has_phrases_ = true;
    return intern(key);
  }

  /// A term of a script written without spaces (Chinese, Japanese): found as a substring.
  int intern_substring(std::string_view text) {
    const auto term = intern("~" + std::string(text));
    if (std::ranges::find(substring_terms_, term, &SubstringTerm::term) == substring_terms_.end()) {
      substring_terms_.push_back({term, std::string(text)});
    }
    return term;
  }

  /// Marks the substring terms found in `text`: as the person's current role when they are
  /// role words, as nothing tells their tense or whom they name.
  void mark_substrings(std::string_view text, char strength) {
    // Most bios hold no character of those scripts (UTF-8 lead bytes E3 to E9): no search.
    const auto cjk = [](char c) {
      const auto byte = static_cast<unsigned char>(c);
      return byte >= 0xE3 && byte <= 0xE9;
    };
    if (std::ranges::none_of(text, cjk)) return;
    for (const auto& [term, needle] : substring_terms_) {
      if (text.find(needle) == std::string_view::npos) continue;
      mark_present(term, needle, strength);
      if (!is_role_term(term)) continue;
      const char grade = strength == kStrong ? kNowStrong : kNowWeak;
      role_grade_[term] = std::max(role_grade_[term], grade);
      company_grade_[term] = std::max(company_grade_[term], grade);
    }
  }

  /// The facet of one structure entry: a concept's terms, with the organisations of its
  /// sector; else the word itself.
  std::vector<int> terms_of(const std::string& name) {
    std::vector<int> terms;
    const auto* known = find_concept(name);
    if (!known) return {intern_phrase(name)};
    terms.reserve(known->terms.size() + 1);
    for (const auto term : known->terms) terms.push_back(intern_phrase(term));
    if (known->name == "founder") terms.push_back(intern(std::string(kFounderSignal)));
    if (const auto organisations = gazetteer_.by_sector.find(name); organisations != gazetteer_.by_sector.end()) {
      for (const auto& organisation : organisations->second) terms.push_back(intern_phrase(organisation));
    }
    return terms;
  }

  CompiledSegment compile(const SegmentTerms& segment) {
    CompiledSegment compiled{segment.id, {}, {}, {}, 0, false};
    const auto structure = parse_segment_structure(segment);
    if (!structure.roles.empty()) {
      Facet roles{.terms = {}, .is_role = true, .own_role = true};
      for (const auto& role : structure.roles) std::ranges::move(terms_of(role), std::back_inserter(roles.terms));
      sort_unique(roles.terms);
      mark_role_terms(roles.terms);
      compiled.facets.push_back(std::move(roles));
    }
    for (const auto& group : structure.topics) {
      Facet topic;
      for (const auto& name : group) std::ranges::move(terms_of(name), std::back_inserter(topic.terms));
      sort_unique(topic.terms);
      compiled.facets.push_back(std::move(topic));
    }
    for (const auto& name : structure.excluded)
      std::ranges::move(terms_of(name), std::back_inserter(compiled.excluded));
    compiled.companies_only = std::ranges::find(structure.qualifiers, "company") != structure.qualifiers.end();
    for (const auto& [group, labels] : segment.applied_search_filters) add_filter_facet(compiled, group, labels);
    for (const auto& value : segment.follower_count_tiers) {
      const auto* tier = find_follower_count_tier(value);
      if (tier) compiled.follower_ranges.push_back({tier->min, tier->max});
    }
    // Every topic of a short description is essential: "AI founders" who do not build for
    // developers are the near misses users complain about. Long descriptions may miss one;
    // filter facets never count toward it.
    const auto described =
        std::ranges::count_if(compiled.facets, [](const Facet& f) { return !f.from_filter && !f.is_role; });
    compiled.missing_allowed = described >= kFacetsForSlack ? 1 : 0;
    return compiled;
  }

  void mark_role_terms(const std::vector<int>& terms) {
    for (const int term : terms) {
      if (static_cast<std::size_t>(term) >= is_role_term_.size()) is_role_term_.resize(term + 1, false);
      is_role_term_[term] = true;
    }
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
    Facet own{.terms = {}, .is_role = group->is_role, .from_filter = true};
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
        if (facet.is_role) mark_role_terms(facet.terms);
        named = true;
      }
      if (!named) own.terms.insert(own.terms.end(), terms.begin(), terms.end());
      merged = merged || named;
    }
    sort_unique(own.terms);
    if (own.is_role) mark_role_terms(own.terms);
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

  /// Whether the role word at token `at` is not the person's now: a past or wished-for
  /// marker among the two words before it.
  bool not_now(std::size_t at) const {
    for (std::size_t back = 1; back <= 2 && back <= at; ++back) {
      if (is_not_now(tokens_[at - back].text)) return true;
    }
    return false;
  }

  /// Whether the role word ending at token `at` is of something that is no company
  /// ("founder of the Lagos AI meetup", "Founder, Code Club Abuja"): such a word among the
  /// eight after it, in its clause (a break right after the role word introduces what it
  /// is of).
  bool of_no_company(std::size_t at) const {
    for (std::size_t ahead = at + 1; ahead < token_count_ && ahead <= at + 8; ++ahead) {
      if (tokens_[ahead].new_clause && ahead > at + 1) break;
      if (is_not_a_company(tokens_[ahead].text)) return true;
    }
    return false;
  }

  /// Whether the role word from token `first` to `last` names others, not the person:
  /// people in the plural ("DMs open for founders", "I coach researchers") or someone the
  /// person serves ("Chief of Staff to the CEO"). Other plurals say what the person does
  /// ("writing first checks", "Acme Ventures").
  bool names_others(std::size_t first, std::size_t last) const {
    static constexpr std::array<std::string_view, 14> kPeople{
        "founders",  "cofounders", "ceos", "entrepreneurs", "researchers", "scientists", "professors",
        "investors", "angels",     "vcs",  "leaders",       "marketers",   "recruiters", "designers"};
    if (std::ranges::find(kPeople, tokens_[last].text) != kPeople.end()) return true;
    if (first < 2 || tokens_[first - 1].text != "the") return false;
    const auto& before = tokens_[first - 2].text;
    return before == "to" || before == "for" || before == "with" || before == "under";
  }

  bool is_role_term(int term) const {
    return static_cast<std::size_t>(term) < is_role_term_.size() && is_role_term_[term];
  }

  void mark_present(int term, std::string_view witness, char strength) {
    if (present_[term] == kAbsent && role_grade_[term] == kAbsent) touched_.push_back(term);
    if (present_[term] < strength) {
      present_[term] = strength;
      witness_[term] = witness;
    }
  }

  /// Marks a term found in the profile, from token `first` to token `last`.
  void mark(int term, std::string_view witness, char strength, std::size_t first, std::size_t last) {
    if (term == kNoTerm) return;
    mark_present(term, witness, strength);
    if (!is_role_term(term) || names_others(first, last)) return;
    const bool now = !not_now(first);
    const char grade =
        now ? (strength == kStrong ? kNowStrong : kNowWeak) : (strength == kStrong ? kNotNowStrong : kNotNowWeak);
    role_grade_[term] = std::max(role_grade_[term], grade);
    if (!of_no_company(last)) company_grade_[term] = std::max(company_grade_[term], grade);
  }

  void read_tokens(std::string_view text) {
    token_count_ = 0;
    for_each_word(text, [&](const std::string& word, bool handle, bool new_clause) {
      if (token_count_ == tokens_.size()) tokens_.emplace_back();
      tokens_[token_count_].text.assign(word);
      tokens_[token_count_].handle = handle;
      tokens_[token_count_].new_clause = new_clause;
      ++token_count_;
    });
  }

  void mark_terms(std::string_view text, char strength) {
    // Members reused from profile to profile: a million profiles, not a million allocations.
    read_tokens(text);
    const auto founder_signal = term_ids_.find(std::string(kFounderSignal));
    previous_stem_.clear();
    bool previous_negated = false;
    bool negating = false;  // a negation was read, and no word it applies to yet
    for (std::size_t i = 0; i < token_count_; ++i) {
      const auto& word = tokens_[i].text;
      // "No AI, just fast deploys" says the opposite of "AI", "not a developer" of
      // "developer": the word a negation applies to is no evidence.
      const bool article = word == "a" || word == "an" || word == "the";
      const bool negated = negating && !article;
      negating = is_negation(word) || (negating && article);
      const auto& [stemmed, term, exact] = stem(word);
      if (!negated) {
        mark(term, word, strength, i, i);
        mark(exact, word, strength, i, i);
        if (tokens_[i].handle && i > 0 && is_founding_verb(tokens_[i - 1].text) && founder_signal != term_ids_.end()) {
          mark(founder_signal->second, tokens_[i - 1].text, strength, i - 1, i);
        }
      }
      if (has_phrases_ && !previous_stem_.empty() && !previous_negated) {
        phrase_.assign(previous_stem_).append(1, ' ').append(stemmed);
        const auto phrase = term_ids_.find(phrase_);
        if (phrase != term_ids_.end()) {
          witness_buffer_.assign(tokens_[i - 1].text).append(1, ' ').append(word);
          mark(phrase->second, witness_buffer_, strength, i - 1, i);
        }
      }
      previous_stem_.assign(stemmed);
      previous_negated = negated;
    }
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

  /// How well the role facet was found (kAbsent when not at all), and the word.
  std::pair<const std::string*, char> found_role(const Facet& facet, bool companies_only) const {
    std::pair<const std::string*, char> best{nullptr, kAbsent};
    for (const int term : facet.terms) {
      const char grade = companies_only ? company_grade_[term] : role_grade_[term];
      if (grade > best.second) best = {&witness_[term], grade};
      if (best.second == kNowStrong) break;
    }
    return best;
  }

  std::optional<Match> score(const CompiledSegment& segment) const {
    if (segment.facets.empty()) return std::nullopt;
    if (std::ranges::any_of(segment.excluded, [&](int term) { return present_[term] != 0; })) return std::nullopt;
    std::vector<std::string> reasons;
    int missing = 0;
    int weak = 0;          // found only in the name's tagline or the location, not in the bio
    bool not_now = false;  // a role a filter label asked for is a past or wished-for one
    for (const auto& facet : segment.facets) {
      auto [witness, strength] = facet.is_role ? found_role(facet, segment.companies_only) : found(facet);
      if (facet.is_role && witness) {
        // A past or wished-for role is not what the person is.
        if (strength <= kNotNowStrong && facet.own_role) return std::nullopt;
        not_now = not_now || strength <= kNotNowStrong;
        strength = strength == kNowStrong || strength == kNotNowStrong ? kStrong : kWeak;
      }
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
    const double score = (facets - missing - 0.5 * weak - (not_now ? 0.5 : 0.0)) / facets;
    const auto confidence = missing == 0 && weak == 0 && !not_now ? MatchConfidence::kHigh : MatchConfidence::kMedium;
    return Match{segment.id, confidence, score, std::move(reasons)};
  }

  std::unique_ptr<Stemmer> stemmer_;
  const Gazetteer& gazetteer_;
  std::vector<CompiledSegment> segments_;
  std::unordered_map<std::string, int> term_ids_;  // stem, "stem stem" for a phrase, "=word" for a word as written
  std::vector<std::string> term_names_;
  std::vector<bool> is_role_term_;  // per term: whether a role facet holds it
  bool has_phrases_ = false;
  struct SubstringTerm {
    int term;
    std::string text;
  };
  std::vector<SubstringTerm> substring_terms_;
  static constexpr std::size_t kMaxCachedWords = 50'000;
  std::unordered_map<std::string, Word> words_;  // a profile word, its stem and terms
  Word number_;                                  // stem()'s answer for a number
  std::vector<char> present_;                    // per term, its strength in the profile being scored
  std::vector<char> role_grade_;                 // per role term, its best grade (kNowStrong...)
  std::vector<char> company_grade_;              // the same, not counting "founder of a lab"
  std::vector<std::string> witness_;
  std::vector<int> touched_;
  std::vector<Token> tokens_;  // the text being marked, word by word
  std::size_t token_count_ = 0;
  std::string previous_stem_, phrase_, witness_buffer_;  // mark_terms' buffers
};

}  // namespace

LocalClassifier::LocalClassifier(std::function<std::unique_ptr<Stemmer>()> make_stemmer, Gazetteer gazetteer)
    : make_stemmer_(std::move(make_stemmer)), gazetteer_(std::make_shared<const Gazetteer>(std::move(gazetteer))) {}

std::unique_ptr<ProfileMatcher> LocalClassifier::prepare(const std::vector<SegmentTerms>& segments) const {
  return std::make_unique<LocalMatcher>(make_stemmer_(), *gazetteer_, segments);
}

std::string_view name_tagline(std::string_view display_name) { return tagline_of(display_name); }

}  // namespace leadstream::domain
