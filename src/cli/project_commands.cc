// `kiln projects ...` (declared in auth_commands.h).
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/auth_commands.h"
#include "cli/client_flags.h"
#include "cli/local_auth.h"
#include "cli/table.h"

namespace kiln::cli {
namespace {

using nlohmann::json;

struct ProjectFlags {
  ConfigFlags config;
  OutputFlags output;
  std::string project;
  std::string user;
  std::string role;
  std::string description;
};

using ProjectFn = std::function<Status(auth::ProjectService&, ProjectFlags&)>;

// A `projects` subcommand running `fn` over the data folder's projects.
CLI::App* AddCommand(CLI::App& group, const char* name, const char* help,
                     std::shared_ptr<ProjectFlags> flags, int& rc, ProjectFn fn) {
  CLI::App* command = group.add_subcommand(name, help);
  AddConfigFlags(*command, flags->config, {"data", "store"});
  command->callback([flags, &rc, fn] {
    rc = WithLocalAuth(flags->config, false, "kiln projects",
                       [&](LocalAuth& local) { return fn(*local.projects, *flags); });
  });
  return command;
}

json ProjectJson(const auth::ProjectInfo& p) {
  return {{"name", p.name},
          {"description", p.description},
          {"created_ms", p.created_ms},
          {"member_count", p.member_count}};
}

Status ListProjects(auth::ProjectService& projects, ProjectFlags& flags) {
  KILN_ASSIGN_OR_RETURN(std::vector<auth::ProjectInfo> all, projects.ListProjects());
  if (flags.output.json) {
    json list = json::array();
    for (const auth::ProjectInfo& p : all) list.push_back(ProjectJson(p));
    std::cout << json{{"projects", list}}.dump(2) << "\n";
    return Status::Ok();
  }
  std::vector<std::vector<std::string>> rows;
  for (const auth::ProjectInfo& p : all) {
    rows.push_back({p.name, std::to_string(p.member_count), p.description});
  }
  PrintTable(std::cout, {"NAME", "MEMBERS", "DESCRIPTION"}, rows);
  return Status::Ok();
}

Status ShowMembers(auth::ProjectService& projects, ProjectFlags& flags, bool with_project) {
  json project;
  if (with_project) {
    KILN_ASSIGN_OR_RETURN(auth::ProjectInfo p, projects.GetProject(flags.project));
    project = ProjectJson(p);
  }
  KILN_ASSIGN_OR_RETURN(std::vector<auth::Member> members, projects.Members(flags.project));
  json list = json::array();
  std::vector<std::vector<std::string>> rows;
  for (const auth::Member& m : members) {
    list.push_back({{"user", m.user}, {"role", m.role}, {"added_ms", m.added_ms}});
    rows.push_back({m.user, m.role, FormatTime(m.added_ms)});
  }
  if (flags.output.json) {
    if (with_project) project["members"] = list;
    std::cout << (with_project ? project : json{{"members", list}}).dump(2) << "\n";
    return Status::Ok();
  }
  if (with_project) {
    std::cout << "project " << flags.project << ": " << project["description"].get<std::string>()
              << "\n";
  }
  PrintTable(std::cout, {"USER", "ROLE", "ADDED (UTC)"}, rows);
  return Status::Ok();
}

void AddReadCommands(CLI::App& group, std::shared_ptr<ProjectFlags> flags, int& rc) {
  CLI::App* ls = AddCommand(group, "ls", "List projects", flags, rc, ListProjects);
  ls->add_flag("--json", flags->output.json, "Print JSON instead of text");
  CLI::App* show =
      AddCommand(group, "show", "Show a project and its members", flags, rc,
                 [](auth::ProjectService& p, ProjectFlags& f) { return ShowMembers(p, f, true); });
  show->add_option("NAME", flags->project, "Project name")->required();
  show->add_flag("--json", flags->output.json, "Print JSON instead of text");
  CLI::App* members =
      AddCommand(group, "members", "List a project's members and roles", flags, rc,
                 [](auth::ProjectService& p, ProjectFlags& f) { return ShowMembers(p, f, false); });
  members->add_option("NAME", flags->project, "Project name")->required();
  members->add_flag("--json", flags->output.json, "Print JSON instead of text");
}

// NAME USER positionals and, `with_role`, --role (required when `role_required`).
void AddMemberArgs(CLI::App& command, ProjectFlags& flags, bool with_role, bool role_required) {
  command.add_option("NAME", flags.project, "Project name")->required();
  command.add_option("USER", flags.user, "User name")->required();
  if (!with_role) return;
  CLI::Option* role =
      command.add_option("--role", flags.role, "viewer, runner, editor or owner (default viewer)");
  if (role_required) role->required();
}

void AddWriteCommands(CLI::App& group, std::shared_ptr<ProjectFlags> flags, int& rc) {
  CLI::App* add = AddCommand(group, "add", "Add a project", flags, rc,
                             [](auth::ProjectService& p, ProjectFlags& f) -> Status {
                               KILN_RETURN_IF_ERROR(p.AddProject(f.project, f.description));
                               std::cout << "added project " << f.project << "\n";
                               return Status::Ok();
                             });
  add->add_option("NAME", flags->project, "Project name")->required();
  add->add_option("--description", flags->description, "What the project is for");
  CLI::App* add_member = AddCommand(group, "add-member", "Make a user a member of a project", flags,
                                    rc, [](auth::ProjectService& p, ProjectFlags& f) -> Status {
                                      const std::string role = f.role.empty() ? "viewer" : f.role;
                                      KILN_RETURN_IF_ERROR(p.AddMember(f.project, f.user, role));
                                      std::cout << "added " << f.user << " to project " << f.project
                                                << " as " << role << "\n";
                                      return Status::Ok();
                                    });
  AddMemberArgs(*add_member, *flags, true, false);
  CLI::App* set_role = AddCommand(group, "set-role", "Change a member's role", flags, rc,
                                  [](auth::ProjectService& p, ProjectFlags& f) -> Status {
                                    KILN_RETURN_IF_ERROR(p.SetRole(f.project, f.user, f.role));
                                    std::cout << f.user << " is now " << f.role << " in project "
                                              << f.project << "\n";
                                    return Status::Ok();
                                  });
  AddMemberArgs(*set_role, *flags, true, true);
  CLI::App* remove = AddCommand(group, "remove-member", "Remove a member from a project", flags, rc,
                                [](auth::ProjectService& p, ProjectFlags& f) -> Status {
                                  KILN_RETURN_IF_ERROR(p.RemoveMember(f.project, f.user));
                                  std::cout << "removed " << f.user << " from project " << f.project
                                            << "\n";
                                  return Status::Ok();
                                });
  AddMemberArgs(*remove, *flags, false, false);
}

}  // namespace

void AddProjectCommands(CLI::App& app, int& rc) {
  auto flags = std::make_shared<ProjectFlags>();
  CLI::App* group =
      app.add_subcommand("projects", "Projects and their members (local: over the data folder)")
          ->require_subcommand(1);
  AddReadCommands(*group, flags, rc);
  AddWriteCommands(*group, flags, rc);
}

}  // namespace kiln::cli
