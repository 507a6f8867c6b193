#include "cli/local_auth.h"

#include <spdlog/spdlog.h>

#include <cctype>
#include <filesystem>

#include "auth/initial_admin.h"
#include "cli/client_flags.h"
#include "cli/exit_codes.h"
#include "store/store_uri.h"

namespace kiln::cli {
namespace {

std::string AbsoluteDataDir(const config::Config& settings) {
  std::error_code ec;
  return std::filesystem::absolute(settings.Get("data"), ec).lexically_normal().string();
}

}  // namespace

Result<LocalAuth> OpenLocalAuth(const config::Config& settings, bool create) {
  const std::string data_dir = AbsoluteDataDir(settings);
  // The default store lives in the data folder, which only some commands may create.
  if (settings.SourceOf("store") == "default") {
    std::error_code ec;
    if (!std::filesystem::is_directory(data_dir, ec)) {
      if (!create) return NotFound("no data folder '" + settings.Get("data") + "'");
      std::filesystem::create_directories(data_dir, ec);
      if (ec) return InvalidArgument("cannot create data folder '" + data_dir + "'");
    }
  }
  LocalAuth local;
  KILN_ASSIGN_OR_RETURN(local.store, store::OpenMetaStore(settings.Get("store")));
  KILN_ASSIGN_OR_RETURN(local.auth, auth::AuthService::Make(*local.store));
  local.projects = std::make_unique<auth::ProjectService>(*local.store);
  return local;
}

int WithLocalAuth(const ConfigFlags& config, bool create, const char* who,
                  const std::function<Status(LocalAuth&)>& fn) {
  Result<config::Config> settings = ResolveConfigFlags(config);
  if (!settings.ok()) return Fail(settings.status(), who);
  Result<LocalAuth> local = OpenLocalAuth(*settings, create);
  if (!local.ok()) return Fail(local.status(), who);
  Status done = fn(*local);
  return done.ok() ? kExitOk : Fail(done, who);
}

Status AnnounceInitialAdmin(const config::Config& settings) {
  KILN_ASSIGN_OR_RETURN(LocalAuth local, OpenLocalAuth(settings, /*create=*/true));
  KILN_ASSIGN_OR_RETURN(std::string said,
                        auth::EnsureInitialAdmin(*local.auth, AbsoluteDataDir(settings)));
  if (!said.empty()) spdlog::warn("{}", said);
  return Status::Ok();
}

Result<int64_t> ParseDurationMs(const std::string& text, const std::string& flag) {
  const Status bad = InvalidArgument("invalid " + flag + " '" + text +
                                     "': use a whole number and a unit s, m, h, d or w, e.g. 30d "
                                     "(at most 3650 days)");
  if (text.size() < 2 || text.size() > 12) return bad;
  int64_t number = 0;
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return bad;
    number = number * 10 + (text[i] - '0');
  }
  int64_t unit_ms = 0;
  switch (text.back()) {
    case 's':
      unit_ms = 1000;
      break;
    case 'm':
      unit_ms = 60 * 1000;
      break;
    case 'h':
      unit_ms = 3600 * 1000;
      break;
    case 'd':
      unit_ms = 86400 * 1000;
      break;
    case 'w':
      unit_ms = 7 * int64_t{86400} * 1000;
      break;
    default:
      return bad;
  }
  constexpr int64_t kMaxMs = 3650 * int64_t{86400} * 1000;
  if (number <= 0 || number > kMaxMs / unit_ms) return bad;
  return number * unit_ms;
}

}  // namespace kiln::cli
