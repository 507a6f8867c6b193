// The settings a Kiln process that opens a data folder takes, and where each value came from:
// a command-line flag, a KILN_* environment variable, the --config file, or the default, in that
// order of precedence.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace kiln::config {

// What a setting's value must look like.
enum class SettingKind {
  kText,    // any string
  kNumber,  // an integer in [min, max]
  kUri,     // "scheme://rest" (the seam's factory checks the scheme)
  kChoice,  // one of `choices`
};

// One setting: its key (as in the config file), its flag (--key with '_' as '-') and its
// environment variable (KILN_KEY upper case).
struct SettingSpec {
  std::string key;
  SettingKind kind = SettingKind::kText;
  // The value when no source gives one; "{data}" stands for the resolved data folder.
  std::string default_value;
  std::string help;
  int64_t min = 0, max = 0;          // kNumber
  std::vector<std::string> choices;  // kChoice
};

// Every setting, in the order --print-config lists them. Never fails.
const std::vector<SettingSpec>& AllSettings();

// "--max-body-mb" for "max_body_mb".
std::string FlagName(const std::string& key);
// "KILN_MAX_BODY_MB" for "max_body_mb".
std::string EnvName(const std::string& key);

// A resolved value and where it came from: "--port", "KILN_PORT", "kiln.yaml:3:7", "default".
struct Setting {
  std::string value;
  std::string source;
};

// The values every setting resolved to. A plain value; copy freely.
class Config {
 public:
  // The value of `key`. Precondition: `key` is one of AllSettings().
  const std::string& Get(const std::string& key) const;
  // The value of a kNumber setting. Precondition: as Get, and the setting is a number.
  int64_t GetNumber(const std::string& key) const;
  // Where the value of `key` came from.
  const std::string& SourceOf(const std::string& key) const;
  // "KEY = VALUE  (SOURCE)" lines, one per setting, in AllSettings() order.
  std::string Describe() const;
  // kInvalidArgument "KEY (from SOURCE): DETAIL": how a seam's factory reports a value it
  // refuses (an unknown scheme), naming where the value came from.
  Status Refuse(const std::string& key, const std::string& detail) const;

  void Set(const std::string& key, Setting setting) { values_[key] = std::move(setting); }

 private:
  std::map<std::string, Setting> values_;
};

}  // namespace kiln::config
