#include "cli/web_ui_dir.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "api/web_ui.h"

namespace kiln::cli {

std::string FindWebUiDir(const std::string& exe_dir, const char* env_dir) {
  if (env_dir != nullptr && api::HasWebUi(env_dir)) return env_dir;
  if (exe_dir.empty()) return "";
  const std::filesystem::path parent = std::filesystem::path(exe_dir).parent_path();
  for (const char* candidate : {"web/dist", "share/kiln/web"}) {
    const std::string dir = (parent / candidate).lexically_normal().string();
    if (api::HasWebUi(dir)) return dir;
  }
  return "";
}

std::string FindWebUiDir() {
  std::error_code ec;
  // The binary's own location, not argv[0], which may be a bare name found on PATH.
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return FindWebUiDir(ec ? std::string() : exe.parent_path().string(), std::getenv("KILN_UI_DIR"));
}

}  // namespace kiln::cli
