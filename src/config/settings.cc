#include "config/settings.h"

#include <algorithm>
#include <cctype>

namespace kiln::config {

const std::vector<SettingSpec>& AllSettings() {
  static const std::vector<SettingSpec> settings = {
      {"data", SettingKind::kText, "./kiln-data", "data folder", 0, 0, {}},
      {"host", SettingKind::kText, "127.0.0.1", "address the server binds", 0, 0, {}},
      {"port",
       SettingKind::kNumber,
       "8080",
       "port the server binds; 0 picks a free one",
       0,
       65535,
       {}},
      {"threads", SettingKind::kNumber, "0", "I/O threads; 0 = one per core", 0, 1024, {}},
      {"max_body_mb", SettingKind::kNumber, "64", "largest request body in MiB", 1, 4096, {}},
      {"store", SettingKind::kUri, "sqlite:///{data}/kiln.db", "metadata store", 0, 0, {}},
      {"artifacts", SettingKind::kUri, "file://{data}/artifacts", "artifact store", 0, 0, {}},
      {"executor", SettingKind::kText, "local", "where pipeline steps run", 0, 0, {}},
      {"executor_cpus",
       SettingKind::kNumber,
       "0",
       "CPUs the executor may use; 0 = all",
       0,
       1 << 20,
       {}},
      {"executor_memory_mb",
       SettingKind::kNumber,
       "0",
       "memory the executor may use in MiB; 0 = physical memory",
       0,
       int64_t{1} << 40,
       {}},
      {"auth",
       SettingKind::kChoice,
       "off",
       "whether network clients must authenticate (users, tokens): on or off",
       0,
       0,
       {"on", "off"}},
      {"log_format",
       SettingKind::kChoice,
       "text",
       "log lines: text or json (JSON lines)",
       0,
       0,
       {"text", "json"}},
  };
  return settings;
}

std::string FlagName(const std::string& key) {
  std::string flag = "--" + key;
  std::replace(flag.begin(), flag.end(), '_', '-');
  return flag;
}

std::string EnvName(const std::string& key) {
  std::string name = "KILN_" + key;
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

const std::string& Config::Get(const std::string& key) const { return values_.at(key).value; }

int64_t Config::GetNumber(const std::string& key) const { return std::stoll(Get(key)); }

const std::string& Config::SourceOf(const std::string& key) const { return values_.at(key).source; }

std::string Config::Describe() const {
  size_t width = 0;
  for (const SettingSpec& spec : AllSettings()) width = std::max(width, spec.key.size());
  std::string out;
  for (const SettingSpec& spec : AllSettings()) {
    const auto found = values_.find(spec.key);
    if (found == values_.end()) continue;
    out += spec.key + std::string(width - spec.key.size(), ' ') + " = " + found->second.value +
           "  (" + found->second.source + ")\n";
  }
  return out;
}

Status Config::Refuse(const std::string& key, const std::string& detail) const {
  const auto found = values_.find(key);
  const std::string source = found == values_.end() ? "default" : found->second.source;
  return InvalidArgument(key + " (from " + source + "): " + detail);
}

}  // namespace kiln::config
