// The first administrator of a new instance: with no users in the store, `admin` with a random
// password written to DATA/initial-admin-password (mode 0600), so a fresh server is never open.
#pragma once

#include <string>

#include "auth/auth_service.h"

namespace kiln::auth {

// The file, inside the data folder, that holds the initial admin's password.
inline constexpr const char* kInitialAdminFile = "initial-admin-password";

// With no users in `auth`'s store: creates user `admin` (an instance admin) with a new random
// password, written first to `data_dir`/initial-admin-password (created exclusively, mode 0600,
// never overwritten), and returns the line the server should log: "initial admin password in
// FILE" (never the password). With users: returns "". Errors: kFailedPrecondition when the file
// exists while the store has no users (naming it: remove it to make a new password), kInternal
// when it cannot be written; the store's errors. Not safe against a concurrent call on the same
// folder from this process (the server calls it once at start-up); a concurrent process loses
// on the exclusive create.
Result<std::string> EnsureInitialAdmin(AuthService& auth, const std::string& data_dir);

}  // namespace kiln::auth
