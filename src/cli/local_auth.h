// The users and tokens of a data folder opened in this process: for `kiln users`, `kiln tokens`
// and the server's start-up (the initial admin).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "auth/auth_service.h"
#include "auth/project_service.h"
#include "cli/config_flags.h"
#include "config/settings.h"
#include "store/meta_store.h"

namespace kiln::cli {

struct LocalAuth {
  std::unique_ptr<store::MetaStore> store;
  std::unique_ptr<auth::AuthService> auth;         // over `store`
  std::unique_ptr<auth::ProjectService> projects;  // over `store`
};

// Opens the metadata store `settings` names (by default DATA/kiln.db) and the services over
// it. Without `create`, a missing data folder is an error rather than made. Errors:
// kNotFound naming a missing data folder, the store's errors. Not thread-safe (start-up).
Result<LocalAuth> OpenLocalAuth(const config::Config& settings, bool create);

// Runs `fn` with the services of the data folder `config` names (created only with `create`)
// and returns the exit code: 0, or that of the first failure, printed as "<who>: message".
int WithLocalAuth(const ConfigFlags& config, bool create, const char* who,
                  const std::function<Status(LocalAuth&)>& fn);

// At server start-up: makes the initial admin when the store has no users (auth/initial_admin.h)
// and logs where its password is, in one line. Errors: as EnsureInitialAdmin.
Status AnnounceInitialAdmin(const config::Config& settings);

// Milliseconds in a duration such as "30d", "12h", "90m", "45s" or "2w" (1 to 3650 days' worth).
// Errors: kInvalidArgument naming `flag` and the value. Pure function.
Result<int64_t> ParseDurationMs(const std::string& text, const std::string& flag);

}  // namespace kiln::cli
