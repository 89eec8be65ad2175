// LEADSTREAM_CLASSIFIER=openai against a fake OpenAI-compatible endpoint on loopback,
// through the real curl adapter: batching, the JSON-schema answer, tokens per run,
// answers kept for re-runs, and the local scorer answering what the model fails on.

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <mutex>
#include <set>
#include <thread>

#include "support/api_client.hpp"
#include "support/fake_http_server.hpp"

using namespace leadstream;
using namespace std::chrono_literals;

namespace {

namespace bj = boost::json;
using support::json_of;

constexpr std::size_t kBatch = 20;

/// A chat-completions endpoint that judges by a rule anyone can check: a bio with
/// "Founder" is high, with "Investor" medium, anything else none. It answers
/// `failures_first` in order before that.
class FakeModel {
 public:
  FakeModel() : server_([this](const api::Request& request) { return answer(request); }) {}

  std::string base_url() const { return server_.base_url(); }
  std::vector<api::Request> requests() const { return server_.requests(); }

  /// Every profile (handle -> bio) the model was asked about, in a request it answered.
  std::map<std::string, std::string> answered() {
    std::lock_guard lock(mutex_);
    return answered_;
  }

  void fail_first(std::vector<api::Response> failures) {
    std::lock_guard lock(mutex_);
    failures_ = std::move(failures);
  }

  static std::optional<std::string> fit_of(const std::string& bio) {
    if (bio.find("Founder") != std::string::npos) return "high";
    if (bio.find("Investor") != std::string::npos) return "medium";
    return std::nullopt;
  }

 private:
  api::Response answer(const api::Request& request) {
    std::lock_guard lock(mutex_);
    if (!failures_.empty()) {
      auto failure = failures_.front();
      failures_.erase(failures_.begin());
      return failure;
    }
    const auto body = bj::parse(request.body).as_object();
    const auto question = bj::parse(body.at("messages").at(1).at("content").as_string()).as_object();
    bj::array results;
    for (const auto& item : question.at("profiles").as_array()) {
      const auto& profile = item.as_object();
      const std::string bio(profile.at("bio").as_string());
      answered_[std::string(profile.at("handle").as_string())] = bio;
      bj::array verdicts;
      for (const auto& segment : question.at("segments").as_array()) {
        const auto fit = fit_of(bio);
        verdicts.push_back({{"segment", segment.at("id")},
                            {"fit", fit.value_or("none")},
                            {"reason", fit ? "fake: " + bio.substr(0, 20) : "fake: no"}});
      }
      results.push_back({{"index", profile.at("index")}, {"segments", std::move(verdicts)}});
    }
    const auto asked = question.at("profiles").as_array().size();
    return {200,
            {},
            "application/json",
            completion(bj::string(bj::serialize(bj::object{{"results", std::move(results)}})), asked)};
  }

  static std::string completion(const bj::value& content, std::size_t asked, const std::string& finish = "stop",
                                const bj::value& refusal = nullptr) {
    return bj::serialize(bj::object{{"id", "chatcmpl-1"},
                                    {"object", "chat.completion"},
                                    {"choices",
                                     {{{"index", 0},
                                       {"message", {{"role", "assistant"}, {"content", content}, {"refusal", refusal}}},
                                       {"finish_reason", finish}}}},
                                    {"usage", {{"prompt_tokens", 100 + asked}, {"completion_tokens", 10 * asked}}}});
  }

 public:
  static api::Response refusal() {
    return {200, {}, "application/json", completion("", 0, "stop", "I can't help with that.")};
  }
  static api::Response cut() { return {200, {}, "application/json", completion(R"({"results": [{"ind)", 0, "length")}; }
  static api::Response malformed() { return {200, {}, "application/json", completion("here you go: results!", 0)}; }
  static api::Response filtered() { return {200, {}, "application/json", completion(nullptr, 0, "content_filter")}; }
  static api::Response empty() { return {200, {}, "application/json", completion(nullptr, 0)}; }

 private:
  std::mutex mutex_;
  std::vector<api::Response> failures_;
  std::map<std::string, std::string> answered_;
  support::FakeHttpServer server_;
};

std::function<void(daemon::Config&)> with_model(const FakeModel& model) {
  return [&model](daemon::Config& config) {
    config.follower_source = "synthetic:300";
    config.classifier = "openai";
    config.openai.base_url = model.base_url();
    config.openai.api_key = "model-key";
    config.openai.model = "fake-4";
    config.openai.batch = kBatch;
  };
}

struct Client : support::ApiClient {
  std::int64_t create_stream() {
    const auto created = post("/api/v2/streams", R"({"pairs": [{"accountHandle": "alpha", "accountTier": "pro",
        "segment": {"description": "Company founders and CEOs"}}]})");
    REQUIRE(created.status == 201);
    return json_of(created).at("id").as_int64();
  }

  bj::object await(std::int64_t stream, std::int64_t run) {
    const auto path = "/api/v2/streams/" + std::to_string(stream) + "/runs/" + std::to_string(run);
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < deadline) {
      auto found = json_of(get(path)).at("run").as_object();
      if (found.at("status") == "succeeded") return found;
      REQUIRE(found.at("status") != "failed");
      std::this_thread::sleep_for(20ms);
    }
    FAIL("run " << run << " did not finish");
    return {};
  }

  bj::object run(std::int64_t stream, const std::string& what) {
    const auto requested = post("/api/v2/streams/" + std::to_string(stream) + "/" + what, "{}");
    REQUIRE(requested.status == 202);
    return await(stream, json_of(requested).at("queued").at(0).at("syncRunId").as_int64());
  }

  std::vector<bj::object> leads(std::int64_t stream) {
    std::vector<bj::object> out;
    const auto page = json_of(get("/api/v2/streams/" + std::to_string(stream) + "/leads?limit=500"));
    for (const auto& lead : page.at("leads").as_array()) out.push_back(lead.as_object());
    return out;
  }
};

/// A daemon asking the model, its run workers started, and a stream of team acme.
struct Session {
  explicit Session(const std::function<void(daemon::Config&)>& configure)
      : running(0, configure), client{{running, running.new_team_key("acme")}} {
    running.start_run_workers();
    stream = client.create_stream();
  }
  support::RunningApp running;
  Client client;
  std::int64_t stream = 0;
};

/// How many profiles a chat-completions request asked about.
std::size_t profiles_asked(const api::Request& request) {
  const auto body = bj::parse(request.body);
  return bj::parse(body.at("messages").at(1).at("content").as_string()).at("profiles").as_array().size();
}

std::size_t batches_of(std::size_t profiles) { return (profiles + kBatch - 1) / kBatch; }

}  // namespace

TEST_CASE("llm: a run asks the model in batches for a JSON-schema answer, its leads are the model's, "
          "its tokens are the run's, and a re-test asks nothing again",
          "[llm][http][db]") {
  FakeModel model;
  Session session(with_model(model));
  auto& client = session.client;
  const auto stream = session.stream;
  const auto synced = client.run(stream, "run");

  const auto answered = model.answered();
  const auto requests = model.requests();
  REQUIRE(answered.size() > 100);  // the followers that passed the bot filter
  CHECK(requests.size() == batches_of(answered.size()));
  for (const auto& request : requests) {
    CHECK(request.method == "POST");
    CHECK(request.path() == "/v1/chat/completions");
    CHECK(request.header("authorization") == "Bearer model-key");
    const auto body = bj::parse(request.body).as_object();
    CHECK(body.at("model").as_string() == "fake-4");
    CHECK(body.at("response_format").at("type").as_string() == "json_schema");
    CHECK(body.at("response_format").at("json_schema").at("strict").as_bool());
    const auto& schema = body.at("response_format").at("json_schema").at("schema");
    CHECK(schema.at("additionalProperties") == false);
    CHECK(schema.at("required").as_array() == bj::array{"results"});
    const auto& verdict = schema.at("properties").at("results").at("items").at("properties").at("segments").at("items");
    CHECK(verdict.at("properties").at("fit").at("enum").as_array() == bj::array{"high", "medium", "none"});
    CHECK(verdict.at("required").as_array().size() == 3);
    const auto question = bj::parse(body.at("messages").at(1).at("content").as_string());
    CHECK(question.at("profiles").as_array().size() <= kBatch);
    CHECK(question.at("segments").at(0).at("description").as_string() == "Company founders and CEOs");
  }

  // Each lead is a profile the model called high or medium, with its reason; and every
  // such profile is a lead.
  std::size_t fits = 0;
  for (const auto& [handle, bio] : answered) fits += FakeModel::fit_of(bio) ? 1 : 0;
  const auto leads = client.leads(stream);
  CHECK(leads.size() == fits);
  for (const auto& lead : leads) {
    const std::string bio(lead.at("profile").at("bio").as_string());
    CHECK(lead.at("matchConfidence").as_string() == FakeModel::fit_of(bio).value_or("none"));
    CHECK(lead.at("reasons").at(0).as_string().starts_with("fake: "));
  }
  const auto& usage = synced.at("classifierUsage");
  CHECK(usage.at("requests").as_int64() == static_cast<std::int64_t>(requests.size()));
  CHECK(usage.at("promptTokens").as_int64() == static_cast<std::int64_t>(100 * requests.size() + answered.size()));
  CHECK(usage.at("completionTokens").as_int64() == static_cast<std::int64_t>(10 * answered.size()));
  CHECK(usage.at("fallbackProfiles").as_int64() == 0);

  // A re-test of the same segment over the same followers: every answer is kept.
  const auto retested = client.run(stream, "re-test");
  CHECK(model.requests().size() == requests.size());
  CHECK(retested.at("classifierUsage").at("requests").as_int64() == 0);
  CHECK(retested.at("classifierUsage").at("cachedProfiles").as_int64() == static_cast<std::int64_t>(answered.size()));
  CHECK(retested.at("leadsCreated").as_int64() == 0);
}

TEST_CASE("llm: a refused or cut batch is split; malformed answers, 5xx and 429 are asked again, then the "
          "local scorer answers; what failed is not kept",
          "[llm][http][db]") {
  FakeModel model;
  // The first batch of 20: refused, so asked as two of 10; the first 10 cut, so asked as two
  // of 5; the first 5 answered malformed, then 503, then 429: three tries, given up.
  model.fail_first({FakeModel::refusal(),
                    FakeModel::cut(),
                    FakeModel::malformed(),
                    {503, {}, "application/json", R"({"error": {"message": "overloaded"}})"},
                    {429, {{"Retry-After", "0"}}, "application/json", R"({"error": {"message": "slow down"}})"}});
  constexpr std::size_t kGivenUp = 5;
  Session session(with_model(model));
  auto& client = session.client;
  const auto stream = session.stream;
  const auto synced = client.run(stream, "run");

  const auto answered = model.answered();
  const auto& usage = synced.at("classifierUsage");
  CHECK(usage.at("fallbackProfiles").as_int64() == static_cast<std::int64_t>(kGivenUp));
  // The first batch took 7 requests (refused 20, cut 10, three tries of 5, then 5 and 10).
  const auto asked = answered.size() + kGivenUp;
  CHECK(usage.at("requests").as_int64() == static_cast<std::int64_t>(batches_of(asked) + 6));
  CHECK(model.requests().size() == batches_of(asked) + 6);
  const auto requests = model.requests();
  CHECK(std::vector<std::size_t>{profiles_asked(requests[0]), profiles_asked(requests[1]), profiles_asked(requests[2]),
                                 profiles_asked(requests[5]),
                                 profiles_asked(requests[6])} == std::vector<std::size_t>{20, 10, 5, 5, 10});

  // Nothing of the given-up profiles was kept: a re-test asks about exactly those again.
  const auto before = requests.size();
  const auto retested = client.run(stream, "re-test");
  CHECK(model.requests().size() == before + 1);
  CHECK(retested.at("classifierUsage").at("cachedProfiles").as_int64() == static_cast<std::int64_t>(answered.size()));
  CHECK(model.answered().size() == answered.size() + kGivenUp);
}

TEST_CASE("llm: a filtered batch is split; an answer without content is asked again; a Retry-After given as a "
          "date backs off instead of waiting until then",
          "[llm][http][db]") {
  FakeModel model;
  // The first batch of 20: filtered, so asked as two of 10; the first 10 answered with no
  // content, then 429 until a date next year, then answered; the second 10 answered.
  model.fail_first({FakeModel::filtered(),
                    FakeModel::empty(),
                    {429,
                     {{"Retry-After", "Wed, 21 Oct 2027 07:28:00 GMT"}},
                     "application/json",
                     R"({"error": {"message": "slow down"}})"}});
  Session session(with_model(model));
  auto& client = session.client;
  const auto stream = session.stream;
  const auto started = std::chrono::steady_clock::now();
  const auto synced = client.run(stream, "run");
  CHECK(std::chrono::steady_clock::now() - started < 30s);

  const auto answered = model.answered();
  const auto& usage = synced.at("classifierUsage");
  CHECK(usage.at("fallbackProfiles").as_int64() == 0);
  CHECK(usage.at("requests").as_int64() == static_cast<std::int64_t>(batches_of(answered.size()) + 4));
  const auto requests = model.requests();
  REQUIRE(requests.size() >= 5);
  CHECK(std::vector<std::size_t>{profiles_asked(requests[0]), profiles_asked(requests[1]), profiles_asked(requests[2]),
                                 profiles_asked(requests[3]),
                                 profiles_asked(requests[4])} == std::vector<std::size_t>{20, 10, 10, 10, 10});
  // Every lead is the model's verdict, none the local scorer's.
  const auto leads = client.leads(stream);
  CHECK(!leads.empty());
  for (const auto& lead : leads) CHECK(lead.at("reasons").at(0).as_string().starts_with("fake: "));
}

TEST_CASE("llm: an endpoint refusing every request (a bad key or model, no quota) is asked once a run; the base "
          "URL may end in /v1",
          "[llm][http][db]") {
  FakeModel model;
  model.fail_first({{401,
                     {},
                     "application/json",
                     R"({"error": {"code": "invalid_api_key", "message": "Incorrect API key provided"}})"}});
  Session session([&](daemon::Config& config) {
    with_model(model)(config);
    config.openai.base_url = model.base_url() + "/v1/";
  });
  auto& client = session.client;
  const auto stream = session.stream;
  const auto synced = client.run(stream, "run");
  CHECK(model.requests().size() == 1);
  CHECK(model.requests().front().path() == "/v1/chat/completions");
  const auto& usage = synced.at("classifierUsage");
  CHECK(usage.at("requests") == 1);
  CHECK(usage.at("fallbackProfiles").as_int64() == synced.at("candidatesPassedCount").as_int64());
  // The local scorer's leads: its reasons are the bio's words, not the model's.
  const auto leads = client.leads(stream);
  CHECK(!leads.empty());
  for (const auto& lead : leads) CHECK_FALSE(lead.at("reasons").at(0).as_string().starts_with("fake: "));
}

TEST_CASE("llm: LEADSTREAM_CLASSIFIER=openai needs LEADSTREAM_OPENAI_BASE_URL", "[llm][config]") {
  const auto parsed = daemon::parse_config({{"LEADSTREAM_CLASSIFIER", "openai"}});
  REQUIRE(!parsed);
  CHECK(parsed.error().message.find("LEADSTREAM_OPENAI_BASE_URL") != std::string::npos);
  CHECK(!daemon::parse_config({{"LEADSTREAM_OPENAI_BATCH", "0"}}));
  const auto good = daemon::parse_config({{"LEADSTREAM_CLASSIFIER", "openai"},
                                          {"LEADSTREAM_OPENAI_BASE_URL", "http://127.0.0.1:9"},
                                          {"LEADSTREAM_OPENAI_MODEL", "qwen2.5"},
                                          {"LEADSTREAM_OPENAI_BATCH", "50"}});
  REQUIRE(good);
  CHECK(good->openai.model == "qwen2.5");
  CHECK(good->openai.batch == 50);
}
