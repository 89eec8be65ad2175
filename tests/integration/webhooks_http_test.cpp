#include <atomic>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "adapters/crypto/openssl_secrets.hpp"
#include "adapters/webhooks/curl_webhook_sender.hpp"
#include "domain/use_cases/webhooks.hpp"
#include "support/api_client.hpp"
#include "support/daemon_process.hpp"
#include "support/fake_http_server.hpp"

using namespace leadstream;
using namespace std::chrono_literals;

namespace {

using support::json_of;

std::function<void(daemon::Config&)> synthetic_allowing_private(int followers) {
  return [followers](daemon::Config& config) {
    config.follower_source = "synthetic:" + std::to_string(followers);
    config.webhook_allow_private = true;  // the receiver is on loopback
  };
}

std::string header_of(const api::Request& request, std::string_view name) {
  return std::string(request.header(name).value_or(""));
}

/// Runs the standardwebhooks verifier (npm) over the requests; returns its output.
std::string verify_with_standardwebhooks(const std::vector<api::Request>& requests, const std::string& secret) {
  boost::json::array recorded;
  for (const auto& request : requests) {
    recorded.push_back({{"id", header_of(request, "webhook-id")},
                        {"timestamp", header_of(request, "webhook-timestamp")},
                        {"signature", header_of(request, "webhook-signature")},
                        {"body", request.body}});
  }
  const std::string file = "/tmp/leadstream-webhooks-" + std::to_string(getpid()) + ".json";
  std::ofstream(file) << boost::json::serialize(recorded);
  const std::string command = "node " LEADSTREAM_SOURCE_DIR "/tests/node/verify_webhooks.js " + file + " " + secret;
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 256> buffer{};
  while (fgets(buffer.data(), buffer.size(), pipe) != nullptr) output += buffer.data();
  const int status = pclose(pipe);
  std::remove(file.c_str());
  INFO(output);
  CHECK(status == 0);
  return output;
}

template <class Predicate>
void wait_until(Predicate done, std::chrono::seconds limit = 30s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::sleep_for(20ms);
  }
}

}  // namespace

TEST_CASE("webhooks: a run's new leads reach a subscriber, signed as Standard Webhooks says", "[webhooks][http][db]") {
  support::FakeHttpServer receiver(support::always(200));
  support::RunningApp running(0, synthetic_allowing_private(5000));
  running.start_run_workers();
  running.start_delivery_workers();
  support::ApiClient client{running, running.new_team_key("acme")};

  const auto subscribed =
      client.post("/api/v2/webhooks/subscribe", R"({"targetUrl": ")" + receiver.base_url() + R"(/hooks"})");
  REQUIRE(subscribed.status == 201);
  const auto secret = std::string(json_of(subscribed).at("secret").as_string());
  CHECK(secret.starts_with("whsec_"));
  const auto webhook_id = json_of(subscribed).at("id").as_int64();
  // The same URL again: its filter is updated, its secret kept and not shown again.
  const auto again =
      client.post("/api/v2/webhooks/subscribe", R"({"targetUrl": ")" + receiver.base_url() +
                                                    R"(/hooks", "filterConfig": {"sourceType": "follower"}})");
  CHECK(again.status == 200);
  CHECK(json_of(again).at("id").as_int64() == webhook_id);
  CHECK_FALSE(json_of(again).as_object().contains("secret"));

  const auto created = client.post("/api/v2/streams", R"({"pairs": [{"accountHandle": "yongfook", "accountTier": "pro",
      "segment": {"description": "AI founders building developer tools"}}]})");
  REQUIRE(created.status == 201);
  const auto stream = json_of(created).at("id").as_int64();
  REQUIRE(client.post("/api/v2/streams/" + std::to_string(stream) + "/run").status == 202);
  const auto leads = [&] { return std::stoll(running.database().scalar("SELECT count(*) FROM leads")); };
  wait_until(
      [&] { return running.database().scalar("SELECT count(*) FROM sync_runs WHERE status = 'succeeded'") == "1"; });
  REQUIRE(leads() > 100);  // more than one request's worth
  wait_until([&] {
    return running.database().scalar("SELECT count(*) FROM webhook_deliveries WHERE status <> 'delivered'") == "0";
  });

  const auto requests = receiver.requests();
  REQUIRE(requests.size() == static_cast<std::size_t>((leads() + 99) / 100));
  std::set<std::int64_t> delivered;
  std::set<std::string> ids;
  for (const auto& request : requests) {
    CHECK(request.method == "POST");
    CHECK(request.target == "/hooks");
    ids.insert(header_of(request, "webhook-id"));
    const auto body = boost::json::parse(request.body).as_object();
    CHECK(body.at("type").as_string() == "leads.created");
    CHECK(body.at("data").at("streamId").as_int64() == stream);
    const auto& batch = body.at("data").at("leads").as_array();
    CHECK(batch.size() <= 100);
    for (const auto& lead : batch) delivered.insert(lead.at("id").as_int64());
  }
  CHECK(static_cast<std::int64_t>(delivered.size()) == leads());
  CHECK(ids.size() == requests.size());
  CHECK(verify_with_standardwebhooks(requests, secret).find("verified " + std::to_string(requests.size())) !=
        std::string::npos);
  // The secret is stored sealed, never as it was shown.
  const auto stored = running.database().scalar("SELECT secret FROM webhook_subscriptions");
  CHECK(stored.starts_with("v1."));
  CHECK(stored.find(secret.substr(6)) == std::string::npos);

  // Feedback: lead.feedback to the subscriptions whose filter takes it.
  support::FakeHttpServer good_only(support::always(200));
  const auto filtered =
      client.post("/api/v2/webhooks/subscribe",
                  R"({"targetUrl": ")" + good_only.base_url() + R"(", "filterConfig": {"feedbackStatus": "good"}})");
  REQUIRE(filtered.status == 201);
  const auto lead = *delivered.begin();
  const auto segment = running.database().scalar("SELECT segment_id FROM leads WHERE id = " + std::to_string(lead));
  const auto lead_path = "/api/v2/leads/" + std::to_string(lead) + "/feedback";
  REQUIRE(
      client.post(lead_path, R"({"segmentId": )" + segment + R"(, "feedback": "bad", "badReason": "bot"})").status ==
      200);
  REQUIRE(client.post(lead_path, R"({"segmentId": )" + segment + R"(, "feedback": "good"})").status == 200);
  wait_until([&] { return good_only.requests().size() == 1 && receiver.requests().size() == requests.size() + 2; });
  const auto feedback = boost::json::parse(good_only.requests().at(0).body);
  CHECK(feedback.at("type").as_string() == "lead.feedback");
  CHECK(feedback.at("data").at("lead").at("id").as_int64() == lead);
  CHECK(feedback.at("data").at("lead").at("feedback").at("status").as_string() == "good");
  const auto all_feedback = receiver.requests();
  CHECK(boost::json::parse(all_feedback.back().body).at("type").as_string() == "lead.feedback");

  // The subscription shows its counts, and its delivery log the attempts. (Received is not
  // yet recorded: the worker writes a batch's outcomes once the batch is done.)
  const auto delivered_count = [&] {
    return json_of(client.get("/api/v2/webhooks")).at("webhooks").at(0).at("deliveries").at("delivered").as_int64();
  };
  wait_until([&] { return delivered_count() == static_cast<std::int64_t>(requests.size()) + 2; });
  const auto listed = json_of(client.get("/api/v2/webhooks")).at("webhooks").at(0);
  CHECK(listed.at("status").as_string() == "active");
  CHECK(listed.at("deliveries").at("delivered").as_int64() == static_cast<std::int64_t>(requests.size()) + 2);
  const auto log = json_of(client.get("/api/v2/webhooks/" + std::to_string(webhook_id) + "/deliveries"));
  CHECK(log.at("deliveries").at(0).at("lastStatusCode").as_int64() == 200);
  CHECK(log.at("deliveries").at(0).at("status").as_string() == "delivered");

  // Another team cannot see, test or remove it.
  support::ApiClient other{running, running.new_team_key("other")};
  CHECK(json_of(other.get("/api/v2/webhooks")).at("webhooks").as_array().empty());
  CHECK(other.get("/api/v2/webhooks/" + std::to_string(webhook_id) + "/deliveries").status == 404);
  CHECK(other.post("/api/v2/webhooks/" + std::to_string(webhook_id) + "/test").status == 404);
  CHECK(running
            .request("DELETE", "/api/v2/webhooks/subscribe", other.key, support::kJsonHeaders,
                     R"({"id": )" + std::to_string(webhook_id) + "}")
            .status == 404);
  CHECK(running
            .request("DELETE", "/api/v2/webhooks/subscribe", client.key, support::kJsonHeaders,
                     R"({"id": )" + std::to_string(webhook_id) + "}")
            .status == 200);
  const auto left = json_of(client.get("/api/v2/webhooks")).at("webhooks").as_array();
  REQUIRE(left.size() == 1);  // the feedback subscription
  CHECK(left.at(0).at("id").as_int64() != webhook_id);
}

TEST_CASE("webhooks: failures are retried with the same webhook-id, and 410 unsubscribes", "[webhooks][http][db]") {
  support::FakeHttpServer flaky(support::fail_first(2, 500));
  support::FakeHttpServer gone(support::always(410));
  support::RunningApp running(0, synthetic_allowing_private(100));
  running.start_delivery_workers();
  support::ApiClient client{running, running.new_team_key("acme")};
  const auto subscribe = [&](const std::string& url) {
    const auto response = client.post("/api/v2/webhooks/subscribe", R"({"targetUrl": ")" + url + R"("})");
    REQUIRE(response.status == 201);
    return json_of(response).at("id").as_int64();
  };
  const auto flaky_id = subscribe(flaky.base_url());
  const auto gone_id = subscribe(gone.base_url());
  REQUIRE(client.post("/api/v2/webhooks/" + std::to_string(flaky_id) + "/test").status == 202);
  REQUIRE(client.post("/api/v2/webhooks/" + std::to_string(gone_id) + "/test").status == 202);

  // 410: the subscription is disabled at once, and says why.
  wait_until(
      [&] { return !json_of(client.get("/api/v2/webhooks")).at("webhooks").at(1).at("disabledReason").is_null(); });
  const auto disabled = json_of(client.get("/api/v2/webhooks")).at("webhooks").at(1);
  CHECK(disabled.at("status").as_string() == "disabled");
  CHECK(gone.requests().size() == 1);

  // 500 twice: retried after the backoff (moved forward here instead of waited for).
  for (int attempt = 1; attempt <= 2; ++attempt) {
    wait_until([&] { return flaky.requests().size() == static_cast<std::size_t>(attempt); });
    wait_until([&] {
      return running.database().scalar("SELECT attempts FROM webhook_deliveries WHERE subscription_id = " +
                                       std::to_string(flaky_id)) == std::to_string(attempt);
    });
    CHECK(running.database().scalar("SELECT next_attempt_at > now() FROM webhook_deliveries WHERE subscription_id = " +
                                    std::to_string(flaky_id)) == "t");
    running.database().scalar("UPDATE webhook_deliveries SET next_attempt_at = now() WHERE subscription_id = " +
                              std::to_string(flaky_id) + " RETURNING 1");
  }
  wait_until([&] {
    return running.database().scalar("SELECT status FROM webhook_deliveries WHERE subscription_id = " +
                                     std::to_string(flaky_id)) == "delivered";
  });
  const auto attempts = flaky.requests();
  REQUIRE(attempts.size() == 3);
  CHECK(header_of(attempts[0], "webhook-id") == header_of(attempts[2], "webhook-id"));
  CHECK(attempts[0].body == attempts[2].body);

  // A receiver that failed every attempt for three days is turned off, and says so.
  support::FakeHttpServer down(support::always(503));
  const auto down_id = subscribe(down.base_url());
  REQUIRE(client.post("/api/v2/webhooks/" + std::to_string(down_id) + "/test").status == 202);
  const auto subscription = "SELECT %s FROM webhook_subscriptions WHERE id = " + std::to_string(down_id);
  const auto of = [&](const std::string& column) {
    return running.database().scalar(std::string(subscription).replace(subscription.find("%s"), 2, column));
  };
  wait_until([&] { return !of("failing_since").empty(); });
  CHECK(of("active") == "t");
  running.database().scalar("UPDATE webhook_subscriptions SET failing_since = now() - interval '4 days' WHERE id = " +
                            std::to_string(down_id) + " RETURNING 1");
  running.database().scalar("UPDATE webhook_deliveries SET next_attempt_at = now() WHERE subscription_id = " +
                            std::to_string(down_id) + " RETURNING 1");
  wait_until([&] { return of("active") == "f"; });
  CHECK(of("disabled_reason").find("turned off after three days") != std::string::npos);
}

TEST_CASE("webhooks: a slow receiver times out, a redirect is not followed, a closed port is retried",
          "[webhooks][http][db]") {
  support::FakeHttpServer slow([](const api::Request&) {
    std::this_thread::sleep_for(1500ms);
    return api::Response{.status = 200, .body = "{}"};
  });
  support::FakeHttpServer redirecting([](const api::Request&) {
    return api::Response{.status = 302, .headers = {{"Location", "http://127.0.0.1:1/elsewhere"}}, .body = ""};
  });
  std::string closed_port;
  {
    support::FakeHttpServer gone_by_now(support::always(200));
    closed_port = gone_by_now.base_url();
  }
  support::RunningApp running(0, [](daemon::Config& config) {
    config.webhook_allow_private = true;
    config.webhook_timeout = 300ms;
  });
  running.start_delivery_workers();
  support::ApiClient client{running, running.new_team_key("acme")};
  const auto test_of = [&](const std::string& url) {
    const auto subscribed = client.post("/api/v2/webhooks/subscribe", R"({"targetUrl": ")" + url + R"("})");
    REQUIRE(subscribed.status == 201);
    auto id = std::to_string(json_of(subscribed).at("id").as_int64());
    REQUIRE(client.post("/api/v2/webhooks/" + id + "/test").status == 202);
    return id;
  };
  const std::map<std::string, std::string> expected_error{
      {test_of(slow.base_url()), "Timeout was reached"},
      {test_of(redirecting.base_url()), "answered 302 (redirects are not followed)"},
      {test_of(closed_port), "Couldn't connect to server"}};
  for (const auto& [id, error] : expected_error) {
    INFO("subscription " << id);
    const auto delivery = "SELECT %s FROM webhook_deliveries WHERE subscription_id = " + id;
    const auto of = [&](const std::string& column) {
      return running.database().scalar(std::string(delivery).replace(delivery.find("%s"), 2, column));
    };
    wait_until([&] { return of("attempts") == "1"; });
    CHECK(of("status") == "pending");  // to be retried after the backoff
    CHECK(of("next_attempt_at > now()") == "t");
    CHECK(of("last_error").find(error) != std::string::npos);
  }
  CHECK(slow.requests().size() == 1);
  CHECK(redirecting.requests().size() == 1);
}

TEST_CASE("webhooks: a batch is sent at once, not one request after another", "[webhooks][http][db]") {
  std::atomic<int> in_flight{0};
  std::atomic<int> most_in_flight{0};
  support::FakeHttpServer receiver(
      [&](const api::Request&) {
        const int now = ++in_flight;
        for (int seen = most_in_flight; now > seen && !most_in_flight.compare_exchange_weak(seen, now);) {
        }
        std::this_thread::sleep_for(200ms);
        --in_flight;
        return api::Response{.status = 200, .body = "{}"};
      },
      8);
  support::RunningApp running(0, synthetic_allowing_private(10));
  support::ApiClient client{running, running.new_team_key("acme")};
  const auto subscribed =
      client.post("/api/v2/webhooks/subscribe", R"({"targetUrl": ")" + receiver.base_url() + R"("})");
  REQUIRE(subscribed.status == 201);
  const auto id = std::to_string(json_of(subscribed).at("id").as_int64());
  for (int i = 0; i < 8; ++i) REQUIRE(client.post("/api/v2/webhooks/" + id + "/test").status == 202);
  running.start_delivery_workers();  // two threads: one request after another, at most two would be in flight
  wait_until([&] {
    return running.database().scalar("SELECT count(*) FROM webhook_deliveries WHERE status = 'delivered'") == "8";
  });
  CHECK(receiver.requests().size() == 8);
  CHECK(most_in_flight >= 3);
}

TEST_CASE("webhooks: URLs are checked when given and where they resolve when called", "[webhooks][http][db]") {
  support::RunningApp running;
  support::ApiClient client{running, running.new_team_key("acme")};
  for (const auto* url :
       {"ftp://example.com/x", "https://user:pw@example.com/", "not a url", "http://exa\tmple.com/"}) {
    const auto refused =
        client.post("/api/v2/webhooks/subscribe", boost::json::serialize(boost::json::object{{"targetUrl", url}}));
    INFO(url);
    CHECK(refused.status == 400);
    CHECK(json_of(refused).at("details").at(0).at("field").as_string() == "targetUrl");
  }
  const auto unknown =
      client.post("/api/v2/webhooks/subscribe",
                  R"({"targetUrl": "https://example.com/", "filterConfig": {"stream": 1, "matchConfidence": "low"}})");
  CHECK(unknown.status == 400);
  CHECK(json_of(unknown).at("details").as_array().size() == 2);
  CHECK(running.database().scalar("SELECT count(*) FROM webhook_subscriptions") == "0");
  // The same checks for a stream's webhookUrl and a Slack webhook.
  const auto stream = client.post("/api/v2/streams", R"({"pairs": [{"accountHandle": "yongfook",
      "segment": {"description": "AI founders"}}], "deliveryDestination": "leads_plus_webhook",
      "webhookUrl": "https://user:pw@example.com/hook"})");
  CHECK(stream.status == 400);
  CHECK(json_of(stream).at("details").at(0).at("field").as_string() == "webhookUrl");
  const auto slack =
      running.request("PUT", "/api/v2/notification-settings", client.key, support::kJsonHeaders,
                      R"({"summaryFrequency": "daily", "channels": {"slackWebhookUrl": "https://hooks.example.com/)" +
                          std::string(2100, 'a') + R"("}})");
  CHECK(slack.status == 400);
  CHECK(json_of(slack).at("details").at(0).at("field").as_string() == "channels.slackWebhookUrl");

  // At send time, with private addresses not allowed: every spelling of loopback, the
  // metadata address and a mapped IPv6 are refused before any connection.
  adapters::webhooks::CurlWebhookSender sender({.allow_private = false});
  support::FakeHttpServer receiver(support::always(200));
  const auto port = receiver.base_url().substr(receiver.base_url().rfind(':'));
  const std::vector<std::string> hosts{"127.1",     "0x7f000001", "2130706433", "[::ffff:127.0.0.1]", "169.254.169.254",
                                       "127.0.0.1", "[::1]",      "10.1.2.3",   "localhost"};
  std::vector<domain::WebhookMessage> messages;
  for (const auto& host : hosts) {
    auto url = std::string("http://").append(host).append(port).append("/");
    messages.push_back({std::move(url), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_1", {}, "{}"});
  }
  const auto sent = sender.send(messages);  // one batch
  REQUIRE(sent.size() == hosts.size());
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    INFO(hosts[i]);
    REQUIRE_FALSE(sent[i]);
    CHECK(sent[i].error().code == domain::ErrorCode::kForbidden);
  }
  CHECK(receiver.requests().empty());
  CHECK(adapters::webhooks::is_refused_address("100.64.0.1"));
  CHECK(adapters::webhooks::is_refused_address("fd00::1"));
  CHECK_FALSE(adapters::webhooks::is_refused_address("93.184.216.34"));
  CHECK_FALSE(adapters::webhooks::is_refused_address("2606:2800:220:1::"));
}

TEST_CASE("sealed secrets open only under their key, and not once changed", "[webhooks]") {
  adapters::crypto::OpenSslSecrets secrets([] { return std::string(32, 'k'); });
  const auto sealed = secrets.seal("whsec_abc");
  CHECK(sealed.starts_with("v1."));
  CHECK(sealed.find("whsec_abc") == std::string::npos);
  CHECK(secrets.seal("whsec_abc") != sealed);  // a fresh nonce each time
  CHECK(*secrets.unseal(sealed) == "whsec_abc");
  auto tampered = sealed;
  tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
  CHECK_FALSE(secrets.unseal(tampered));
  adapters::crypto::OpenSslSecrets other([] { return std::string(32, 'o'); });
  CHECK_FALSE(other.unseal(sealed));
}

TEST_CASE("webhooks: a leads_plus_webhook stream delivers to its own webhookUrl like a subscription",
          "[webhooks][http][db]") {
  support::FakeHttpServer receiver(support::always(202));
  support::RunningApp running(0, synthetic_allowing_private(3000));
  running.start_run_workers();
  running.start_delivery_workers();
  support::ApiClient client{running, running.new_team_key("acme")};
  const auto created = client.post("/api/v2/streams", R"({"pairs": [{"accountHandle": "yongfook", "accountTier": "pro",
      "segment": {"description": "AI founders building developer tools"}}], "deliveryDestination": "leads_plus_webhook",
      "webhookUrl": ")" + receiver.base_url() + R"(/zap"})");
  REQUIRE(created.status == 201);
  const auto stream = json_of(created).at("id").as_int64();
  const auto shown = json_of(client.get("/api/v2/streams/" + std::to_string(stream))).at("stream");
  const auto secret = std::string(shown.at("webhookSecret").as_string());
  CHECK(secret.starts_with("whsec_"));
  const auto listed = json_of(client.get("/api/v2/webhooks")).at("webhooks");
  REQUIRE(listed.as_array().size() == 1);
  CHECK(listed.at(0).at("ownerStreamId").as_int64() == stream);
  // Managed by the stream: not removable on its own.
  CHECK(running
            .request("DELETE", "/api/v2/webhooks/subscribe", client.key, support::kJsonHeaders,
                     R"({"id": )" + std::to_string(listed.at(0).at("id").as_int64()) + "}")
            .status == 404);

  REQUIRE(client.post("/api/v2/streams/" + std::to_string(stream) + "/run").status == 202);
  wait_until(
      [&] { return running.database().scalar("SELECT count(*) FROM sync_runs WHERE status = 'succeeded'") == "1"; });
  wait_until([&] {
    return running.database().scalar("SELECT count(*) FROM webhook_deliveries WHERE status <> 'delivered'") == "0";
  });
  const auto requests = receiver.requests();
  const auto leads = std::stoll(running.database().scalar("SELECT count(*) FROM leads"));
  REQUIRE(leads > 0);
  CHECK(requests.size() == static_cast<std::size_t>((leads + 99) / 100));
  CHECK(requests.at(0).target == "/zap");
  CHECK(verify_with_standardwebhooks(requests, secret).find("verified") != std::string::npos);

  // A PATCH that keeps the webhook keeps its secret; leads_only removes it.
  REQUIRE(client.patch("/api/v2/streams/" + std::to_string(stream), R"({"name": "renamed"})").status == 200);
  CHECK(json_of(client.get("/api/v2/streams/" + std::to_string(stream))).at("stream").at("webhookSecret").as_string() ==
        secret);
  REQUIRE(
      client.patch("/api/v2/streams/" + std::to_string(stream), R"({"deliveryDestination": "leads_only"})").status ==
      200);
  CHECK(json_of(client.get("/api/v2/webhooks")).at("webhooks").as_array().empty());
  CHECK(json_of(client.get("/api/v2/streams/" + std::to_string(stream))).at("stream").at("webhookSecret").is_null());
}

TEST_CASE("webhooks: kill -9 during a burst of 10,000 deliveries loses none, and repeats keep their webhook-id",
          "[webhooks][crash][db]") {
  constexpr int kDeliveries = 10'000;
  support::TestDatabase database;
  support::FakeHttpServer receiver(support::always(200));
  const std::string key(64, 'b');  // the key support::DaemonProcess gives the daemon
  {
    daemon::Config config;
    config.database_url = database.url();
    config.secret_key = key;
    daemon::App app(config);
    const auto team = app.teams().create("acme", "");
    REQUIRE(team);
    const auto subscribed = domain::subscribe_webhook(app.webhooks(), team->id, receiver.base_url() + "/burst", {});
    REQUIRE(subscribed);
    database.scalar("INSERT INTO webhook_deliveries (team_id, subscription_id, event_type, body)"
                    " SELECT " +
                    std::to_string(team->id.value) + ", " + std::to_string(subscribed->id.value) +
                    ", 'leads.created', '{\"type\":\"leads.created\",\"data\":{\"n\":' || g || '}}'"
                    " FROM generate_series(1, " +
                    std::to_string(kDeliveries) + ") g RETURNING 1");
  }
  const std::vector<std::string> settings{"LEADSTREAM_WEBHOOK_ALLOW_PRIVATE=1", "LEADSTREAM_DELIVERY_LEASE_SECONDS=2",
                                          "LEADSTREAM_WEBHOOK_TIMEOUT_MS=1000"};
  {
    support::DaemonProcess daemon(database.url(), settings);
    wait_until([&] { return receiver.requests().size() >= kDeliveries / 4; }, 60s);
    daemon.signal(SIGKILL);
    daemon.wait_for_exit();
  }
  const auto before_restart = receiver.requests().size();
  INFO(before_restart << " requests before the kill");
  CHECK(before_restart < static_cast<std::size_t>(kDeliveries));
  support::DaemonProcess restarted(database.url(), settings);
  wait_until(
      [&] {
        return database.scalar("SELECT count(*) FROM webhook_deliveries WHERE status = 'delivered'") ==
               std::to_string(kDeliveries);
      },
      120s);

  std::map<std::string, std::string> body_of_id;  // webhook-id -> body
  std::set<std::string> bodies;
  int repeats = 0;
  for (const auto& request : receiver.requests()) {
    const auto id = header_of(request, "webhook-id");
    const auto [it, fresh] = body_of_id.emplace(id, request.body);
    if (!fresh) {
      ++repeats;
      CHECK(it->second == request.body);  // a repeat is the same message, under the same id
    }
    bodies.insert(request.body);
  }
  INFO(repeats << " repeated");
  CHECK(bodies.size() == static_cast<std::size_t>(kDeliveries));  // every one arrived
  CHECK(body_of_id.size() == static_cast<std::size_t>(kDeliveries));
}
