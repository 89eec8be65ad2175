#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "domain/model/sync.hpp"

#include "support/fake_http_server.hpp"

namespace leadstream::support {

/// The two X API v2 endpoints we use, on loopback: GET /2/users/by/username/:username and
/// GET /2/users/:id/followers (max_results, pagination_token). It insists on the bearer
/// token, pages followers newest first (generated from their index, with the synthetic
/// source's realistic bios, so a million cost no memory), shortens every link of a profile
/// to t.co with its target in `entities` as X does, and misbehaves on command, with the
/// bodies X documents (problem types of response-codes-and-errors.mdx).
class FakeX {
 public:
  explicit FakeX(std::string bearer_token = "test-x-token");

  std::string base_url() const { return server_.base_url(); }
  /// An account with `followers` followers; the newest has the highest index.
  void add_account(const std::string& username, const std::string& id, int followers, bool is_protected = false);
  /// New followers arrive: the account's list grows at the newest end.
  void gain_followers(const std::string& username, int count);

  /// The next follower calls answer these statuses instead (a 429 says the window
  /// reopens `reset_in_seconds` after now).
  void fail_next(int status, int times = 1);
  /// The next follower call answers this instead.
  void answer_next(api::Response response);
  /// X's documented answers, for answer_next(): a 200 with only `errors[]` for an account
  /// that turned protected or was suspended/deleted (`type` not-authorized-for-resource or
  /// resource-not-found); 403 client-forbidden (the app's plan lacks the endpoint); 429
  /// usage-capped (`period` Daily or Monthly).
  static api::Response errors_only(const std::string& type, const std::string& user_id);
  static api::Response client_forbidden();
  static api::Response usage_capped(const std::string& period);
  /// Every pagination token handed out so far is refused from now on (400 invalid-request),
  /// as X's tokens expire.
  void expire_pagination_tokens();
  /// The pagination token that lists followers from `offset` on: 16 characters at least,
  /// as X's are, and marked with the generation of tokens it belongs to.
  static std::string token_for(int offset, int generation = 0);
  /// `count` of the account's oldest followers follow again: X lists them first.
  void refollow(const std::string& username, int count);
  /// A follower with this profile (id and handle included) follows now, at the newest end.
  void add_follower(const std::string& username, domain::FollowerProfile profile);
  int reset_in_seconds = 2;
  /// The next follower page is answered only after `delay`, as a slow X would.
  void delay_next_page(std::chrono::milliseconds delay);
  /// Every follower page from now on says the window is used up (x-rate-limit-remaining: 0).
  void exhaust_window_on_each_page(bool exhaust);

  /// Renders every follower page of `max_results` now and serves them from memory, so
  /// that a benchmark does not spend its machine's CPU on the fake's JSON (the real X
  /// renders on its own machines). Until the lists change.
  void render_pages_ahead(int max_results);

  int follower_calls() const;
  std::vector<api::Request> requests() const { return server_.requests(); }

 private:
  struct Account {
    std::string username;
    std::string id;
    int followers = 0;
    bool is_protected = false;
    std::vector<int> refollowed;                   // indexes listed first, the latest first
    std::map<int, domain::FollowerProfile> given;  // indexes with a profile of the test's
  };
  /// The index of the follower listed at `position` (0: the first listed).
  static int index_at(const Account& account, int position);

  api::Response handle(const api::Request& request);
  api::Response user_by_username(const std::string& username) const;
  api::Response followers_page(const Account& account, const api::Request& request) const;
  std::string page_body(const Account& account, int offset, int max_results) const;

  std::string bearer_token_;
  mutable std::mutex mutex_;
  std::map<std::string, Account> accounts_;  // by lower-cased username
  std::deque<api::Response> failures_;
  std::atomic<int> token_generation_{0};  // read by pages rendered outside the lock
  bool exhaust_window_ = false;
  std::chrono::milliseconds next_page_delay_{0};
  int follower_calls_ = 0;
  int rendered_max_results_ = 0;
  std::map<std::pair<std::string, int>, std::string> rendered_;  // by account id and offset
  FakeHttpServer server_;                                        // last: it calls handle() from its threads
};

}  // namespace leadstream::support
