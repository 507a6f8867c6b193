// The rules for names and roles an administrator gives: user names, token names and roles.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace kiln::auth {

// The roles a project member (or a token) may hold, weakest first.
inline constexpr const char* kRoles[] = {"viewer", "runner", "editor", "owner"};

// OK when `name` is a valid user name: 1 to 64 characters, a letter or digit first, then
// letters, digits, '.', '_' or '-' (no ':', which HTTP Basic credentials use as separator).
// Errors: kInvalidArgument naming the value and the rule. Pure function.
Status CheckUserName(std::string_view name);
// OK when `name` is a valid project name: the same rule as user names. Errors: kInvalidArgument
// naming the value and the rule. Pure function.
Status CheckProjectName(std::string_view name);
// OK when `role` is one of kRoles. Errors: kInvalidArgument naming the value and the roles.
Status CheckRole(std::string_view role);
// OK when `name` (a token's label) has at most 100 characters and no control character.
// Errors: kInvalidArgument naming the rule. Pure function.
Status CheckTokenName(std::string_view name);
// OK when a person's password has kMinPasswordLength..kMaxPasswordLength bytes. Errors:
// kInvalidArgument saying the rule (never the password). Pure function.
Status CheckPassword(std::string_view password);

}  // namespace kiln::auth
