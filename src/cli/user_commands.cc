// `kiln users ...` (declared in auth_commands.h).
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "auth/secrets.h"
#include "cli/auth_commands.h"
#include "cli/client_flags.h"
#include "cli/exit_codes.h"
#include "cli/local_auth.h"
#include "cli/table.h"

namespace kiln::cli {
namespace {

struct UserFlags {
  ConfigFlags config;
  OutputFlags output;
  std::string name;
  bool admin = false;
  bool password_stdin = false;
};

// The password from stdin (one line), or a new random one that `shown` says to print.
Result<std::string> PasswordFor(const UserFlags& flags, bool& shown) {
  shown = !flags.password_stdin;
  if (!flags.password_stdin) return auth::MakePassword();
  std::string line;
  if (!std::getline(std::cin, line)) return InvalidArgument("no password on stdin");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

int WithAuth(const UserFlags& flags, bool create,
             const std::function<Status(auth::AuthService&)>& fn) {
  return WithLocalAuth(flags.config, create, "kiln users",
                       [&](LocalAuth& local) { return fn(*local.auth); });
}

Status AddUser(auth::AuthService& auth, const UserFlags& flags) {
  bool shown = false;
  KILN_ASSIGN_OR_RETURN(std::string password, PasswordFor(flags, shown));
  KILN_RETURN_IF_ERROR(
      auth.AddUser(flags.name, password, flags.admin,
                   shown ? auth::PasswordOrigin::kGenerated : auth::PasswordOrigin::kChosen));
  std::cout << "added user " << flags.name << (flags.admin ? " (instance admin)" : "") << "\n";
  if (shown) std::cout << "password (shown once): " << password << "\n";
  return Status::Ok();
}

Status ResetPassword(auth::AuthService& auth, const UserFlags& flags) {
  bool shown = false;
  KILN_ASSIGN_OR_RETURN(std::string password, PasswordFor(flags, shown));
  KILN_RETURN_IF_ERROR(auth.SetPassword(flags.name, password));
  std::cout << "new password set for " << flags.name << "\n";
  if (shown) std::cout << "password (shown once): " << password << "\n";
  return Status::Ok();
}

Status ListUsers(auth::AuthService& auth, const OutputFlags& out) {
  KILN_ASSIGN_OR_RETURN(std::vector<auth::UserInfo> users, auth.ListUsers());
  if (out.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auth::UserInfo& u : users) {
      list.push_back({{"name", u.name},
                      {"admin", u.admin},
                      {"disabled", u.disabled},
                      {"created_ms", u.created_ms}});
    }
    std::cout << nlohmann::json{{"users", list}}.dump(2) << "\n";
    return Status::Ok();
  }
  std::vector<std::vector<std::string>> rows;
  for (const auth::UserInfo& u : users) {
    rows.push_back({u.name, u.admin ? "yes" : "no", u.disabled ? "disabled" : "active",
                    FormatTime(u.created_ms)});
  }
  PrintTable(std::cout, {"NAME", "ADMIN", "STATE", "CREATED (UTC)"}, rows);
  return Status::Ok();
}

CLI::App* AddCommand(CLI::App& group, const char* name, const char* help, UserFlags& flags) {
  CLI::App* command = group.add_subcommand(name, help);
  AddConfigFlags(*command, flags.config, {"data", "store"});
  return command;
}

void AddPasswordFlag(CLI::App& command, UserFlags& flags) {
  command.add_flag("--password-stdin", flags.password_stdin,
                   "Read the password from stdin (one line) instead of generating one");
}

}  // namespace

void AddUserCommands(CLI::App& app, int& rc) {
  auto flags = std::make_shared<UserFlags>();
  CLI::App* group = app.add_subcommand("users", "Users of the server (local: over the data folder)")
                        ->require_subcommand(1);
  CLI::App* add = AddCommand(*group, "add", "Add a user (prints a generated password)", *flags);
  add->add_option("NAME", flags->name, "User name")->required();
  add->add_flag("--admin", flags->admin, "An instance admin: may do everything everywhere");
  AddPasswordFlag(*add, *flags);
  add->callback([flags, &rc] {
    rc = WithAuth(*flags, true, [&](auth::AuthService& a) { return AddUser(a, *flags); });
  });
  CLI::App* ls = AddCommand(*group, "ls", "List users", *flags);
  ls->add_flag("--json", flags->output.json, "Print JSON instead of text");
  ls->callback([flags, &rc] {
    rc = WithAuth(*flags, false, [&](auth::AuthService& a) { return ListUsers(a, flags->output); });
  });
  CLI::App* disable =
      AddCommand(*group, "disable", "Disable a user: its password and tokens stop working", *flags);
  disable->add_option("NAME", flags->name, "User name")->required();
  disable->callback([flags, &rc] {
    rc = WithAuth(*flags, false, [&](auth::AuthService& a) -> Status {
      KILN_RETURN_IF_ERROR(a.DisableUser(flags->name));
      std::cout << "disabled user " << flags->name << "\n";
      return Status::Ok();
    });
  });
  CLI::App* reset = AddCommand(*group, "reset-password", "Set a new password for a user", *flags);
  reset->add_option("NAME", flags->name, "User name")->required();
  AddPasswordFlag(*reset, *flags);
  reset->callback([flags, &rc] {
    rc = WithAuth(*flags, false, [&](auth::AuthService& a) { return ResetPassword(a, *flags); });
  });
}

}  // namespace kiln::cli
