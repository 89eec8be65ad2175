#include "domain/rules/concept_lexicon.hpp"

#include <algorithm>
#include <array>

namespace leadstream::domain {

const std::vector<Concept>& concept_lexicon() {
  static const std::vector<Concept> kLexicon{
      {"founder", true,
       {"founder", "founders", "cofounder", "ceo", "cto", "coo", "cpo", "chief executive", "entrepreneur", "solopreneur",
        "indie hacker", "bootstrapper", "bootstrapping", "solo founder"}},
      {"investor", true,
       {"investor", "investors", "investing", "invest", "vc", "vcs", "venture capital", "venture", "ventures", "angel",
        "general partner", "gp", "lp", "limited partner", "capital", "checks", "cheques", "backing", "portfolio",
        "partner", "partners", "principal", "fund", "funds", "micro vc"}},
      {"leader", true,
       {"head", "vp", "vice president", "director", "chief", "cmo", "cro", "svp", "evp", "leader", "leaders",
        "leading", "leadership"}},
      {"designer", true, {"designer", "design", "ux", "ui", "figma", "product design"}},
      {"recruiter", true,
       {"recruiter", "recruiting", "recruitment", "talent", "talent acquisition", "hiring", "sourcer", "hr"}},
      {"marketing", false,
       {"marketing", "marketer", "marketers", "cmo", "growth", "demand gen", "demand generation", "seo", "brand",
        "content marketing", "pmm", "gtm", "go to", "abm", "lifecycle", "positioning"}},
      {"b2b_saas", false, {"b2b", "saas", "enterprise", "software as", "b2b software", "smb"}},
      {"ai", false,
       {"ai", "a i", "llm", "llms", "gpt", "genai", "gen ai", "ml", "machine learning", "deep learning",
        "artificial intelligence", "nlp", "neural", "rag", "agentic", "ai agents", "language model", "language models",
        "foundation model", "foundation models", "computer vision", "evals", "mlops", "llmops", "inference",
        "fine tuning", "embeddings", "transformer"}},
      {"developer", false,
       {"developer", "developers", "devs", "dev", "devtools", "devtool", "developer tools", "dx", "engineer",
        "engineers", "engineering", "sdk", "sdks", "api", "apis", "programmer", "programmers", "programming", "coder",
        "coders", "coding", "code", "open source", "oss", "ide", "cli", "devops", "infra", "infrastructure", "github",
        "debugging", "observability", "compiler", "compilers", "ci", "terminal", "platform engineering"}},
      {"fintech", false,
       {"fintech", "payments", "payment", "banking", "bank", "banks", "neobank", "lending", "embedded finance",
        "insurtech", "regtech", "wealthtech", "financial services", "financial infrastructure", "finance",
        "financial", "credit", "card issuing", "open banking", "treasury"}},
      {"early_stage", false,
       {"early", "early stage", "seed", "pre seed", "preseed", "series a", "angel", "first check", "first checks",
        "inception", "day zero", "day one"},
       {"late_stage"}},
      {"late_stage", false,
       {"growth stage", "late stage", "series b", "series c", "series d", "pre ipo", "growth equity",
        "private equity", "buyout", "public markets", "hedge fund"}},
      {"sales", false,
       {"sales", "account executive", "ae", "sdr", "bdr", "business development", "revenue", "quota", "closing"}},
      {"security", false,
       {"security", "cybersecurity", "infosec", "appsec", "red team", "pentest", "pentesting", "soc",
        "threat intelligence", "vulnerability", "vulnerabilities"}},
      {"ecommerce", false,
       {"ecommerce", "e commerce", "commerce", "shopify", "dtc", "d2c", "direct to", "online store", "amazon seller",
        "retail"}},
      {"health", false, {"health", "healthcare", "healthtech", "medical", "clinical", "patients", "digital health"}},
      {"data", false,
       {"data", "analytics", "data science", "data engineering", "data scientist", "sql", "dbt", "warehouse"}},
      {"web3", false, {"web3", "crypto", "blockchain", "defi", "nft", "ethereum", "solana", "bitcoin", "onchain"}},
      {"startup", false, {"startup", "startups", "early stage company", "yc", "ycombinator", "techstars"}},
  };
  return kLexicon;
}

bool is_filler_word(std::string_view word) {
  static constexpr std::array kFiller{"build",   "builds", "building", "builder", "builders", "make",     "making",
                                      "work",    "working", "people",  "person",  "interest", "interested", "focus",
                                      "focused", "company", "companies", "team",  "teams",    "tool",     "tools",
                                      "help",    "helping", "love",     "based",  "create",   "creating", "run",
                                      "running", "use",     "using",    "stage",  "new",      "great",    "good",
                                      "working", "like",    "s"};
  return std::ranges::find(kFiller, word) != kFiller.end();
}

}  // namespace leadstream::domain
