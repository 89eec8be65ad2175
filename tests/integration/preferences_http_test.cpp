#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "support/running_app.hpp"

using namespace leadstream;

namespace {

const adapters::http::Headers kJson{{"Content-Type", "application/json"}};

boost::json::value json_of(const adapters::http::HttpResponse& response) { return boost::json::parse(response.body); }

}  // namespace

TEST_CASE("DM templates: create, read, update, delete, and their errors", "[preferences][http][db]") {
  support::RunningApp running(0);
  const auto key = running.new_team_key("acme");
  const auto stranger = running.new_team_key("globex");
  const auto call = [&](const std::string& method, const std::string& path, const std::string& body = {},
                        const std::string& who = {}) {
    return running.request(method, path, who.empty() ? key : who, body.empty() ? adapters::http::Headers{} : kJson,
                           body);
  };

  const auto created = call("POST", "/api/v2/dm-templates", R"({"name": "Intro", "messageBody": "Hi {{name}}!"})");
  REQUIRE(created.status == 201);
  const auto id = std::to_string(json_of(created).at("template").at("id").as_int64());
  CHECK(json_of(created).at("template").at("messageBody").as_string() == "Hi {{name}}!");

  const auto duplicate = call("POST", "/api/v2/dm-templates", R"({"name": "Intro", "messageBody": "again"})");
  CHECK(duplicate.status == 409);
  CHECK(json_of(duplicate).at("error").as_string() == "conflict");
  CHECK(call("POST", "/api/v2/dm-templates", R"({"name": "", "messageBody": "x"})").status == 400);
  CHECK(call("POST", "/api/v2/dm-templates", R"({"name": "Long", "messageBody": ")" + std::string(2001, 'x') + "\"}")
            .status == 400);

  const auto updated = call("PUT", "/api/v2/dm-templates/" + id, R"({"name": "Intro v2", "messageBody": "Hello"})");
  REQUIRE(updated.status == 200);
  CHECK(json_of(call("GET", "/api/v2/dm-templates/" + id)).at("template").at("name").as_string() == "Intro v2");
  CHECK(json_of(call("GET", "/api/v2/dm-templates")).at("templates").as_array().size() == 1);

  CHECK(call("GET", "/api/v2/dm-templates/" + id, {}, stranger).status == 404);
  CHECK(call("PUT", "/api/v2/dm-templates/" + id, R"({"name": "x", "messageBody": "y"})", stranger).status == 404);
  CHECK(call("DELETE", "/api/v2/dm-templates/" + id, {}, stranger).status == 404);
  CHECK(json_of(call("GET", "/api/v2/dm-templates", {}, stranger)).at("templates").as_array().empty());

  CHECK(json_of(call("DELETE", "/api/v2/dm-templates/" + id)).at("ok").as_bool());
  CHECK(call("GET", "/api/v2/dm-templates/" + id).status == 404);
  CHECK(call("DELETE", "/api/v2/dm-templates/" + id).status == 404);
}

TEST_CASE("notification settings: defaults, save, validate", "[preferences][http][db]") {
  support::RunningApp running(0);
  const auto key = running.new_team_key("acme");
  const auto defaults = json_of(running.request("GET", "/api/v2/notification-settings", key)).at("settings");
  CHECK(defaults.at("summaryFrequency").as_string() == "off");
  CHECK(defaults.at("channels").at("slackWebhookUrl").is_null());

  const auto saved = running.request("PUT", "/api/v2/notification-settings", key, kJson,
                                     R"({"summaryFrequency": "daily", "channels": {"email": ["ops@acme.com"],
                                        "slackWebhookUrl": "https://hooks.slack.com/services/T/B/X", "telegramChatId": null}})");
  REQUIRE(saved.status == 200);
  const auto read = json_of(running.request("GET", "/api/v2/notification-settings", key)).at("settings");
  CHECK(read.at("summaryFrequency").as_string() == "daily");
  CHECK(read.at("channels").at("email").as_array()[0].as_string() == "ops@acme.com");
  CHECK(read.at("channels").at("telegramChatId").is_null());

  const auto bad = running.request("PUT", "/api/v2/notification-settings", key, kJson,
                                   R"({"summaryFrequency": "hourly", "channels": {"email": ["nope"]}})");
  CHECK(bad.status == 400);
  CHECK(json_of(bad).at("details").as_array().size() == 2);
  CHECK(json_of(running.request("GET", "/api/v2/notification-settings", key))
            .at("settings")
            .at("summaryFrequency")
            .as_string() == "daily");
}
