#include "auth/project_service.h"

#include "auth/names.h"
#include "common/ids.h"

namespace kiln::auth {
namespace {

using store::Row;
using store::Rows;
using store::Session;

Status RequireProject(Session& session, const std::string& project) {
  KILN_ASSIGN_OR_RETURN(Rows rows,
                        session.Query("SELECT name FROM projects WHERE name = ?", {project}));
  if (rows.empty()) return NotFound("no project '" + project + "'");
  return Status::Ok();
}

Status RequireUser(Session& session, const std::string& user) {
  KILN_ASSIGN_OR_RETURN(Rows rows, session.Query("SELECT name FROM users WHERE name = ?", {user}));
  if (rows.empty()) return NotFound("no user '" + user + "'");
  return Status::Ok();
}

Status NoMember(const std::string& project, const std::string& user) {
  return NotFound("user '" + user + "' is not a member of project '" + project + "'");
}

constexpr const char* kProjectColumns =
    "SELECT p.name, p.description, p.created_ms, (SELECT COUNT(*) FROM project_members m WHERE "
    "m.project = p.name) FROM projects p";

ProjectInfo ProjectOf(const Row& row) {
  return ProjectInfo{row.Text(0), row.Text(1), row.Int(2), row.Int(3)};
}

}  // namespace

Status ProjectService::AddProject(const std::string& name, const std::string& description) {
  KILN_RETURN_IF_ERROR(CheckProjectName(name));
  if (description.size() > 1000) {
    return InvalidArgument("a project description has at most 1000 characters");
  }
  Status added = store_.Write([&](Session& session) {
    return session.Exec("INSERT INTO projects (name, description, created_ms) VALUES (?, ?, ?)",
                        {name, description, NowMillis()});
  });
  if (added.code() == StatusCode::kAlreadyExists) {
    return AlreadyExists("project '" + name + "' already exists");
  }
  return added;
}

Result<std::vector<ProjectInfo>> ProjectService::ListProjects() {
  std::vector<ProjectInfo> projects;
  KILN_RETURN_IF_ERROR(store_.Read([&](Session& session) -> Status {
    KILN_ASSIGN_OR_RETURN(Rows rows,
                          session.Query(std::string(kProjectColumns) + " ORDER BY p.name"));
    for (const Row& row : rows) projects.push_back(ProjectOf(row));
    return Status::Ok();
  }));
  return projects;
}

Result<ProjectInfo> ProjectService::GetProject(const std::string& name) {
  ProjectInfo project;
  KILN_RETURN_IF_ERROR(store_.Read([&](Session& session) -> Status {
    KILN_ASSIGN_OR_RETURN(
        Rows rows, session.Query(std::string(kProjectColumns) + " WHERE p.name = ?", {name}));
    if (rows.empty()) return NotFound("no project '" + name + "'");
    project = ProjectOf(rows[0]);
    return Status::Ok();
  }));
  return project;
}

Result<std::vector<Member>> ProjectService::Members(const std::string& project) {
  std::vector<Member> members;
  KILN_RETURN_IF_ERROR(store_.Read([&](Session& session) -> Status {
    KILN_RETURN_IF_ERROR(RequireProject(session, project));
    KILN_ASSIGN_OR_RETURN(Rows rows, session.Query("SELECT user_name, role, added_ms FROM "
                                                   "project_members WHERE project = ? ORDER BY "
                                                   "user_name",
                                                   {project}));
    for (const Row& row : rows) members.push_back(Member{row.Text(0), row.Text(1), row.Int(2)});
    return Status::Ok();
  }));
  return members;
}

Status ProjectService::AddMember(const std::string& project, const std::string& user,
                                 const std::string& role) {
  KILN_RETURN_IF_ERROR(CheckRole(role));
  return store_.Write([&](Session& session) -> Status {
    KILN_RETURN_IF_ERROR(RequireProject(session, project));
    KILN_RETURN_IF_ERROR(RequireUser(session, user));
    Status added = session.Exec(
        "INSERT INTO project_members (project, user_name, role, added_ms) VALUES (?, ?, ?, ?)",
        {project, user, role, NowMillis()});
    if (added.code() == StatusCode::kAlreadyExists) {
      return AlreadyExists("user '" + user + "' is already a member of project '" + project +
                           "' (change the role with set-role)");
    }
    return added;
  });
}

Status ProjectService::SetRole(const std::string& project, const std::string& user,
                               const std::string& role) {
  KILN_RETURN_IF_ERROR(CheckRole(role));
  return store_.Write([&](Session& session) -> Status {
    KILN_RETURN_IF_ERROR(RequireProject(session, project));
    KILN_RETURN_IF_ERROR(
        session.Exec("UPDATE project_members SET role = ? WHERE project = ? AND user_name = ?",
                     {role, project, user}));
    return session.Changes() == 0 ? NoMember(project, user) : Status::Ok();
  });
}

Status ProjectService::RemoveMember(const std::string& project, const std::string& user) {
  return store_.Write([&](Session& session) -> Status {
    KILN_RETURN_IF_ERROR(RequireProject(session, project));
    KILN_RETURN_IF_ERROR(session.Exec(
        "DELETE FROM project_members WHERE project = ? AND user_name = ?", {project, user}));
    return session.Changes() == 0 ? NoMember(project, user) : Status::Ok();
  });
}

}  // namespace kiln::auth
