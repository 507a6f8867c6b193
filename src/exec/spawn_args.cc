#include "exec/spawn_args.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string_view>

namespace kiln::exec {

std::string ErrnoText(int err) {
  // strerrordesc_np returns static text and, unlike strerror, is thread-safe.
  const char* text = strerrordesc_np(err);
  return text != nullptr ? text : "errno " + std::to_string(err);
}

namespace {

// 0 if `path` is an executable regular file, else the errno explaining why not.
int CheckExecutable(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return errno;
  if (!S_ISREG(st.st_mode)) return EACCES;
  return access(path.c_str(), X_OK) == 0 ? 0 : errno;
}

}  // namespace

Result<std::string> FindProgram(const std::string& name, const std::string& search_path) {
  if (name.find('/') != std::string::npos) return name;
  int error = ENOENT;
  size_t begin = 0;
  while (begin <= search_path.size()) {
    size_t end = search_path.find(':', begin);
    if (end == std::string::npos) end = search_path.size();
    if (end > begin) {
      std::string candidate = search_path.substr(begin, end - begin) + "/" + name;
      int err = CheckExecutable(candidate);
      if (err == 0) return candidate;
      if (err == EACCES) error = EACCES;
    }
    begin = end + 1;
  }
  return NotFound(ErrnoText(error));
}

std::string SearchPath(const std::map<std::string, std::string>& overrides) {
  auto it = overrides.find("PATH");
  if (it != overrides.end()) return it->second;
  const char* parent = std::getenv("PATH");
  return parent != nullptr ? parent : "/usr/bin:/bin";
}

std::vector<std::string> MergeEnvironment(const char* const* parent,
                                          const std::map<std::string, std::string>& overrides) {
  std::vector<std::string> env;
  for (const char* const* entry = parent; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view kv = *entry;
    std::string key(kv.substr(0, kv.find('=')));
    if (overrides.count(key) == 0) env.emplace_back(kv);
  }
  for (const auto& [key, value] : overrides) env.push_back(key + "=" + value);
  return env;
}

std::vector<char*> CStringArray(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace kiln::exec
