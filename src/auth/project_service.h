// ProjectService: the projects of a Kiln instance (the namespace of what a team owns) and their
// members, each with one role: viewer, runner, editor or owner (auth/names.h kRoles). Project
// `default` exists from the start. Administration trusts its caller, like AuthService's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/meta_store.h"

namespace kiln::auth {

struct Member {
  std::string user;
  std::string role;
  int64_t added_ms = 0;
};

struct ProjectInfo {
  std::string name;
  std::string description;
  int64_t created_ms = 0;
  int64_t member_count = 0;
};

class ProjectService {
 public:
  // Over `store`, which must outlive the service.
  explicit ProjectService(store::MetaStore& store) : store_(store) {}

  // Adds project `name`. Errors: kInvalidArgument for a bad name (CheckProjectName) or a
  // description over 1000 characters, kAlreadyExists when taken. Thread-safe.
  Status AddProject(const std::string& name, const std::string& description);
  // Every project, by name, with its member count. Thread-safe.
  Result<std::vector<ProjectInfo>> ListProjects();
  // One project. Errors: kNotFound naming it. Thread-safe.
  Result<ProjectInfo> GetProject(const std::string& name);
  // The members of `project`, by user name. Errors: kNotFound for an unknown project.
  Result<std::vector<Member>> Members(const std::string& project);
  // Makes `user` a member of `project` with `role`. Errors: kNotFound for an unknown project or
  // user, kInvalidArgument for an unknown role, kAlreadyExists when already a member.
  Status AddMember(const std::string& project, const std::string& user, const std::string& role);
  // Changes a member's role. Errors: kInvalidArgument for an unknown role, kNotFound when the
  // project or the membership does not exist.
  Status SetRole(const std::string& project, const std::string& user, const std::string& role);
  // Removes a member. Errors: kNotFound when the project or the membership does not exist.
  Status RemoveMember(const std::string& project, const std::string& user);

 private:
  store::MetaStore& store_;
};

}  // namespace kiln::auth
