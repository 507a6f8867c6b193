// `kiln tokens ...` (declared in auth_commands.h).
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/auth_commands.h"
#include "cli/client_flags.h"
#include "cli/local_auth.h"
#include "cli/table.h"
#include "common/ids.h"

namespace kiln::cli {
namespace {

using nlohmann::json;

struct TokenFlags {
  ConfigFlags config;
  OutputFlags output;
  auth::TokenRequest request;
  std::string expires;  // e.g. "30d"; "" = never
  std::string target;   // ID_OR_PREFIX for revoke; --user for ls
};

int WithAuth(const TokenFlags& flags, bool create,
             const std::function<Status(auth::AuthService&)>& fn) {
  return WithLocalAuth(flags.config, create, "kiln tokens",
                       [&](LocalAuth& local) { return fn(*local.auth); });
}

std::string TimeOr(const std::optional<int64_t>& ms, const char* none) {
  return ms ? FormatTime(*ms) : none;
}

std::string StateOf(const auth::TokenInfo& t, int64_t now) {
  if (t.revoked_ms) return "revoked";
  if (t.expires_ms && *t.expires_ms <= now) return "expired";
  return "active";
}

Status CreateToken(auth::AuthService& auth, TokenFlags& flags) {
  if (!flags.expires.empty()) {
    KILN_ASSIGN_OR_RETURN(int64_t ms, ParseDurationMs(flags.expires, "--expires"));
    flags.request.expires_ms = NowMillis() + ms;
  }
  KILN_ASSIGN_OR_RETURN(auth::CreatedToken created, auth.CreateToken(flags.request));
  const auth::TokenInfo& t = created.info;
  std::cout << created.secret << "\n";
  std::cout << "token " << t.token_id << " (" << t.prefix << ") for user " << t.user
            << (t.project.empty() ? "" : ", project " + t.project)
            << (t.role.empty() ? "" : ", role " + t.role) << ", expires "
            << TimeOr(t.expires_ms, "never") << "; shown once: store it now\n";
  return Status::Ok();
}

json TokenJson(const auth::TokenInfo& t, int64_t now) {
  auto optional = [](const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); };
  return {{"token_id", t.token_id},
          {"prefix", t.prefix},
          {"user", t.user},
          {"name", t.name},
          {"project", t.project},
          {"role", t.role},
          {"expires_ms", optional(t.expires_ms)},
          {"revoked_ms", optional(t.revoked_ms)},
          {"last_used_ms", optional(t.last_used_ms)},
          {"created_ms", t.created_ms},
          {"state", StateOf(t, now)}};
}

Status ListTokens(auth::AuthService& auth, const TokenFlags& flags) {
  KILN_ASSIGN_OR_RETURN(std::vector<auth::TokenInfo> tokens, auth.ListTokens(flags.target));
  const int64_t now = NowMillis();
  if (flags.output.json) {
    json list = json::array();
    for (const auth::TokenInfo& t : tokens) list.push_back(TokenJson(t, now));
    std::cout << json{{"tokens", list}}.dump(2) << "\n";
    return Status::Ok();
  }
  std::vector<std::vector<std::string>> rows;
  for (const auth::TokenInfo& t : tokens) {
    rows.push_back({t.token_id, t.prefix, t.user, t.name, t.project, t.role,
                    TimeOr(t.expires_ms, "never"), TimeOr(t.last_used_ms, "never"),
                    StateOf(t, now)});
  }
  PrintTable(std::cout,
             {"ID", "PREFIX", "USER", "NAME", "PROJECT", "ROLE", "EXPIRES (UTC)", "LAST USED (UTC)",
              "STATE"},
             rows, 32);
  return Status::Ok();
}

CLI::App* AddCommand(CLI::App& group, const char* name, const char* help, TokenFlags& flags) {
  CLI::App* command = group.add_subcommand(name, help);
  AddConfigFlags(*command, flags.config, {"data", "store"});
  return command;
}

void AddCreateCommand(CLI::App& group, std::shared_ptr<TokenFlags> flags, int& rc) {
  CLI::App* create =
      AddCommand(group, "create", "Make an API token (printed once, on the first line)", *flags);
  auth::TokenRequest& r = flags->request;
  create->add_option("--user", r.user, "The user the token acts as")->required();
  create->add_option("--project", r.project, "Narrow the token to this project");
  create->add_option("--role", r.role,
                     "Narrow the token to this role (viewer, runner, editor, owner); never "
                     "more than the user's own");
  create->add_option("--expires", flags->expires, "Lifetime, e.g. 30d, 12h, 2w (default: never)");
  create->add_option("--name", r.name, "A label to recognise the token by");
  create->callback([flags, &rc] {
    rc = WithAuth(*flags, false, [&](auth::AuthService& a) { return CreateToken(a, *flags); });
  });
}

}  // namespace

void AddTokenCommands(CLI::App& app, int& rc) {
  auto flags = std::make_shared<TokenFlags>();
  CLI::App* group =
      app.add_subcommand("tokens", "API tokens of users (local: over the data folder)")
          ->require_subcommand(1);
  AddCreateCommand(*group, flags, rc);
  CLI::App* ls = AddCommand(*group, "ls", "List tokens (never their secrets)", *flags);
  ls->add_option("--user", flags->target, "Only this user's tokens");
  ls->add_flag("--json", flags->output.json, "Print JSON instead of text");
  ls->callback([flags, &rc] {
    rc = WithAuth(*flags, false, [&](auth::AuthService& a) { return ListTokens(a, *flags); });
  });
  CLI::App* revoke =
      AddCommand(*group, "revoke", "Revoke a token; it stops working on the next request", *flags);
  revoke->add_option("ID_OR_PREFIX", flags->target, "The token's id or prefix (kiln tokens ls)")
      ->required();
  revoke->callback([flags, &rc] {
    rc = WithAuth(*flags, false, [&](auth::AuthService& a) -> Status {
      KILN_ASSIGN_OR_RETURN(auth::TokenInfo t, a.RevokeToken(flags->target));
      std::cout << "revoked token " << t.token_id << " (" << t.prefix << ") of user " << t.user
                << "\n";
      return Status::Ok();
    });
  });
}

}  // namespace kiln::cli
