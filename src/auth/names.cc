#include "auth/names.h"

#include "auth/password_hash.h"

namespace kiln::auth {
namespace {

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

Status CheckName(std::string_view name, const char* what) {
  bool ok = !name.empty() && name.size() <= 64 && IsAlnum(name.front());
  for (char c : name) ok = ok && (IsAlnum(c) || c == '.' || c == '_' || c == '-');
  if (ok) return Status::Ok();
  return InvalidArgument(std::string("invalid ") + what + " '" + std::string(name) +
                         "': use 1 to 64 letters, digits, '.', '_' or '-', starting with a "
                         "letter or digit");
}

}  // namespace

Status CheckUserName(std::string_view name) { return CheckName(name, "user name"); }

Status CheckProjectName(std::string_view name) { return CheckName(name, "project name"); }

Status CheckRole(std::string_view role) {
  for (const char* known : kRoles) {
    if (role == known) return Status::Ok();
  }
  return InvalidArgument("unknown role '" + std::string(role) +
                         "': use viewer, runner, editor or owner");
}

Status CheckTokenName(std::string_view name) {
  bool ok = name.size() <= 100;
  for (char c : name) ok = ok && static_cast<unsigned char>(c) >= 0x20 && c != 0x7f;
  if (ok) return Status::Ok();
  return InvalidArgument("invalid token name: use at most 100 characters and no control ones");
}

Status CheckPassword(std::string_view password) {
  if (password.size() >= kMinPasswordLength && password.size() <= kMaxPasswordLength) {
    return Status::Ok();
  }
  return InvalidArgument("the password must have " + std::to_string(kMinPasswordLength) + " to " +
                         std::to_string(kMaxPasswordLength) + " bytes");
}

}  // namespace kiln::auth
