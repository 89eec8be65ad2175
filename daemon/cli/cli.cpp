#include "daemon/cli/cli.hpp"

#include <charconv>
#include <map>
#include <optional>
#include <set>

#include "adapters/postgres/migrations.hpp"
#include "daemon/app.hpp"
#include "daemon/cli/schedule_preview.hpp"
#include "daemon/cli/serve.hpp"
#include "daemon/config.hpp"
#include "domain/model/time.hpp"
#include "domain/rules/text.hpp"
#include "domain/use_cases/api_keys.hpp"

namespace leadstream::daemon {
namespace {

constexpr std::string_view kUsage = R"(usage: leadstreamd COMMAND [ARGS]

Commands:
  serve                                  run the HTTP API and background work
  migrate                                apply pending database migrations
  teams create NAME [--email E]          create a team, print its id
  teams set-email --team TEAM --email E  change a team's contact email (GET /me's email)
  teams set-billing --team TEAM (--subscription SUB --starter-item SI --growth-item SI --pro-item SI
                                 | --ledger | --free)
                                         bill the team through Stripe or the embedded ledger, or put it
                                         on the free plan
  keys create --team TEAM [--name NAME]  create an API key, print it (shown once)
  keys list --team TEAM                  list a team's keys (prefixes only)
  keys revoke ID                         revoke a key
  credits grant --team TEAM AMOUNT       add credits to a team, print the balance
  credits history --team TEAM [--limit N]
                                         print a team's latest credit moves and its balance
  schedule preview (--cron EXPR | --sync-times LIST) --timezone TZ [--from T] [--count N]
                                         print a schedule's next fire times (no database)

TEAM is a team id or name. Run `leadstreamd COMMAND --help` for one command.
Settings come from LEADSTREAM_* environment variables (LEADSTREAM_DATABASE_URL is
required), optionally from the KEY=VALUE file named by LEADSTREAM_CONFIG_FILE.
)";

const std::map<std::string, std::string_view> kCommandHelp = {
    {"serve", "usage: leadstreamd serve\n  Applies pending migrations, then serves /api/v2 on LEADSTREAM_LISTEN\n"
              "  (default 127.0.0.1:8080) until SIGTERM or SIGINT, finishing in-flight requests.\n"},
    {"migrate",
     "usage: leadstreamd migrate\n  Applies pending migrations in order, each once, under an advisory lock.\n"},
    {"teams create", "usage: leadstreamd teams create NAME [--email EMAIL]\n  Creates a team and prints its id. "
                     "EMAIL is its contact address, GET /me's email (empty until given).\n"},
    {"teams set-email", "usage: leadstreamd teams set-email --team TEAM --email EMAIL\n  Changes the team's contact "
                        "address.\n"},
    {"teams set-billing",
     "usage: leadstreamd teams set-billing --team TEAM --subscription SUB_ID [--starter-item SI_ID]\n"
     "                                     [--growth-item SI_ID] [--pro-item SI_ID]\n"
     "       leadstreamd teams set-billing --team TEAM --ledger\n"
     "       leadstreamd teams set-billing --team TEAM --free\n"
     "  Bills the team's tracked accounts as quantities of its Stripe subscription's items (one per\n"
     "  tier), or only in the embedded ledger. The reconciler then sets each quantity. --free puts\n"
     "  the team on the free plan: one starter account, one daily sync, no re-tests.\n"},
    {"keys create",
     "usage: leadstreamd keys create --team TEAM [--name NAME]\n  Creates an API key and prints it. It is shown "
     "only this once: only its digest is stored.\n"},
    {"keys list", "usage: leadstreamd keys list --team TEAM\n  Lists the team's keys: id, visible prefix, name, "
                  "created, status.\n"},
    {"keys revoke", "usage: leadstreamd keys revoke ID\n  Revokes a key; requests with it fail within a second.\n"},
    {"credits grant", "usage: leadstreamd credits grant --team TEAM AMOUNT\n  Adds AMOUNT (a positive integer) "
                      "credits and prints the new balance.\n"},
    {"credits history",
     "usage: leadstreamd credits history --team TEAM [--limit N]\n  Prints the team's latest N (default 20) credit "
     "moves, newest first: grants,\n  holds taken by enrichments, what they released and what they settled; then "
     "the balance.\n"},
};

struct Arguments {
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;
  bool help = false;
};

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Options that take no value.
const std::set<std::string> kFlags = {"ledger", "free"};

Arguments parse_arguments(const std::vector<std::string>& args, std::size_t from, const std::set<std::string>& known) {
  Arguments parsed;
  for (std::size_t i = from; i < args.size(); ++i) {
    const auto& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      parsed.help = true;
    } else if (arg.starts_with("--")) {
      const auto equals = arg.find('=');
      const auto name = arg.substr(2, equals == std::string::npos ? std::string::npos : equals - 2);
      if (!known.contains(name)) throw UsageError("unknown option " + arg);
      if (equals != std::string::npos) {
        parsed.options[name] = arg.substr(equals + 1);
      } else if (kFlags.contains(name)) {
        parsed.options[name] = "";
      } else if (i + 1 < args.size()) {
        parsed.options[name] = args[++i];
      } else {
        throw UsageError("option --" + name + " needs a value");
      }
    } else {
      parsed.positional.push_back(arg);
    }
  }
  return parsed;
}

std::optional<std::int64_t> parse_positive(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

/// A runtime failure for the caller to report with exit code 1.
class CommandError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

template <class T>
T must(domain::Result<T> result) {
  if (!result) throw CommandError(result.error().message);
  if constexpr (!std::is_void_v<T>) return std::move(*result);
}

domain::Team resolve_team(App& app, const std::string& team) {
  auto found = parse_positive(team) ? must(app.teams().find(domain::TeamId{*parse_positive(team)}))
                                    : must(app.teams().find_by_name(team));
  if (!found) throw CommandError("no team " + team);
  return *found;
}

const std::string& required(const Arguments& args, const std::string& option) {
  const auto found = args.options.find(option);
  if (found == args.options.end()) throw UsageError("--" + option + " is required");
  return found->second;
}

void expect_positional(const Arguments& args, std::size_t count, std::string_view what) {
  if (args.positional.size() != count) throw UsageError("expected " + std::string(what));
}

std::string checked_email(const Arguments& args) {
  const auto found = args.options.find("email");
  if (found == args.options.end()) return {};
  if (!domain::looks_like_email(found->second)) {
    throw UsageError("--email: '" + found->second + "' is not an email address");
  }
  return found->second;
}

int teams_create(App& app, const Arguments& args, std::ostream& out) {
  expect_positional(args, 1, "a team name");
  out << must(app.teams().create(args.positional[0], checked_email(args))).id.value << '\n';
  return kExitOk;
}

int teams_set_email(App& app, const Arguments& args, std::ostream& out) {
  expect_positional(args, 0, "no positional arguments");
  required(args, "email");
  const auto email = checked_email(args);
  const auto team = resolve_team(app, required(args, "team"));
  must(app.teams().set_email(team.id, email));
  out << "team " << team.id.value << " email " << email << '\n';
  return kExitOk;
}

int teams_set_billing(App& app, const Arguments& args, std::ostream& out) {
  expect_positional(args, 0, "no positional arguments");
  const auto team = resolve_team(app, required(args, "team"));
  if (args.options.contains("free")) {
    if (args.options.size() != 2) throw UsageError("--free takes no other billing options");
    must(app.teams().set_free_plan(team.id));
    out << "team " << team.id.value << " is on the free plan\n";
    return kExitOk;
  }
  if (args.options.contains("ledger")) {
    if (args.options.size() != 2) throw UsageError("--ledger takes no other billing options");
    must(app.teams().set_billing(team.id, std::nullopt));
    out << "team " << team.id.value << " is billed by the embedded ledger\n";
    return kExitOk;
  }
  const auto option = [&](const std::string& name) {
    return args.options.contains(name) ? args.options.at(name) : std::string{};
  };
  const domain::StripeBilling billing{required(args, "subscription"), option("starter-item"), option("growth-item"),
                                      option("pro-item")};
  must(app.teams().set_billing(team.id, billing));
  out << "team " << team.id.value << " is billed through Stripe subscription " << billing.subscription_id << '\n';
  return kExitOk;
}

int keys_create(App& app, const Arguments& args, std::ostream& out) {
  expect_positional(args, 0, "no positional arguments");
  const auto team = resolve_team(app, required(args, "team"));
  const auto name = args.options.contains("name") ? args.options.at("name") : std::string("default");
  out << must(domain::issue_api_key(app.api_keys(), app.secrets(), team.id, name)).plaintext << '\n';
  return kExitOk;
}

int keys_list(App& app, const Arguments& args, std::ostream& out) {
  expect_positional(args, 0, "no positional arguments");
  const auto team = resolve_team(app, required(args, "team"));
  out << "ID\tPREFIX\tNAME\tCREATED\tSTATUS\n";
  for (const auto& key : must(app.api_keys().list(team.id))) {
    out << key.id.value << '\t' << domain::kApiKeyScheme << key.prefix << "...\t" << key.name << '\t'
        << domain::format_rfc3339(key.created_at) << '\t'
        << (key.revoked_at ? "revoked " + domain::format_rfc3339(*key.revoked_at) : std::string("active")) << '\n';
  }
  return kExitOk;
}

int keys_revoke(App& app, const Arguments& args, std::ostream& out) {
  expect_positional(args, 1, "a key id");
  const auto id = parse_positive(args.positional[0]);
  if (!id) throw UsageError("key id must be a positive integer");
  must(app.api_keys().revoke(domain::ApiKeyId{*id}));
  out << "revoked " << *id << '\n';
  return kExitOk;
}

int credits_grant(App& app, const Arguments& args, std::ostream& out) {
  expect_positional(args, 1, "an AMOUNT");
  const auto amount = parse_positive(args.positional[0]);
  if (!amount) throw UsageError("AMOUNT must be a positive integer");
  const auto team = resolve_team(app, required(args, "team"));
  out << must(app.credits().grant(team.id, *amount, "granted from the command line")) << '\n';
  return kExitOk;
}

int credits_history(App& app, const Arguments& args, std::ostream& out) {
  expect_positional(args, 0, "no positional arguments");
  const auto team = resolve_team(app, required(args, "team"));
  const auto limit = args.options.contains("limit") ? parse_positive(args.options.at("limit")) : 20;
  if (!limit || *limit > 1000) throw UsageError("--limit must be an integer from 1 to 1000");
  out << "ID\tAT\tKIND\tDELTA\tHOLD\tREASON\n";
  for (const auto& entry : must(app.credits().history(team.id, static_cast<int>(*limit)))) {
    out << entry.id << '\t' << domain::format_rfc3339(entry.at) << '\t' << entry.kind << '\t'
        << (entry.delta > 0 ? "+" : "") << entry.delta << '\t' << (entry.hold_id ? std::to_string(*entry.hold_id) : "-")
        << '\t' << entry.reason << '\n';
  }
  out << "balance " << must(app.credits().balance(team.id)) << '\n';
  return kExitOk;
}

Config load_config(char** environ_entries) {
  auto settings = read_settings(environ_entries);
  if (!settings) throw UsageError(settings.error().message);
  auto config = parse_config(*settings);
  if (!config) throw UsageError(config.error().message);
  if (config->database_url.empty()) throw UsageError("LEADSTREAM_DATABASE_URL: not set");
  return *config;
}

int migrate_command(const Config& config, std::ostream& out) {
  const auto report = must(adapters::postgres::migrate(config.database_url));
  out << "applied " << report.applied << " migration(s); schema at version " << report.current_version << '\n';
  return kExitOk;
}

using Command = int (*)(App&, const Arguments&, std::ostream&);
struct Subcommand {
  Command run;
  std::set<std::string> options;
};
const std::map<std::string, Subcommand> kSubcommands = {
    {"teams create", {teams_create, {"email"}}},
    {"teams set-email", {teams_set_email, {"team", "email"}}},
    {"teams set-billing",
     {teams_set_billing, {"team", "subscription", "starter-item", "growth-item", "pro-item", "ledger", "free"}}},
    {"keys create", {keys_create, {"team", "name"}}},
    {"keys list", {keys_list, {"team"}}},
    {"keys revoke", {keys_revoke, {}}},
    {"credits grant", {credits_grant, {"team"}}},
    {"credits history", {credits_history, {"team", "limit"}}},
};

int dispatch(const std::vector<std::string>& args, char** environ_entries, std::ostream& out) {
  const auto& command = args[0];
  if (command == "serve" || command == "migrate") {
    if (parse_arguments(args, 1, {}).help) return (out << kCommandHelp.at(command), kExitOk);
    if (args.size() > 1) throw UsageError(command + " takes no arguments");
    const auto config = load_config(environ_entries);
    return command == "serve" ? serve(config) : migrate_command(config, out);
  }
  if (command != "teams" && command != "keys" && command != "credits") throw UsageError("unknown command " + command);
  if (args.size() < 2 || args[1] == "--help" || args[1] == "-h") {
    for (const auto& [name, help] : kCommandHelp) {
      if (name.starts_with(command + " ")) out << help;
    }
    return args.size() < 2 ? kExitUsage : kExitOk;
  }
  const auto found = kSubcommands.find(command + " " + args[1]);
  if (found == kSubcommands.end()) throw UsageError("unknown command " + command + " " + args[1]);
  const auto parsed = parse_arguments(args, 2, found->second.options);
  if (parsed.help) return (out << kCommandHelp.at(found->first), kExitOk);
  App app(load_config(environ_entries));
  return found->second.run(app, parsed, out);
}

}  // namespace

int run_cli(const std::vector<std::string>& args, char** environ_entries, std::ostream& out, std::ostream& err) {
  if (args.empty()) return (err << kUsage, kExitUsage);
  if (args[0] == "schedule" && args.size() >= 2 && args[1] == "preview") return schedule_preview(args, out, err);
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") return (out << kUsage, kExitOk);
  try {
    return dispatch(args, environ_entries, out);
  } catch (const UsageError& error) {
    err << "leadstreamd: " << error.what() << '\n';
    return kExitUsage;
  } catch (const std::exception& error) {  // CommandError, and anything a library threw
    err << "leadstreamd: " << error.what() << '\n';
    return kExitFailure;
  }
}

}  // namespace leadstream::daemon
