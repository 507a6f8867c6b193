#include "config/config_loader.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/closest_word.h"

extern char** environ;

namespace kiln::config {
namespace {

// A config file is a short list of settings; anything this big is a mistake.
constexpr std::streamsize kMaxConfigBytes = 1 << 20;

struct FileValue {
  std::string value;
  std::string where;  // "FILE:LINE:COL"
};

const SettingSpec* FindSpec(const std::string& key) {
  for (const SettingSpec& spec : AllSettings()) {
    if (spec.key == key) return &spec;
  }
  return nullptr;
}

std::string Where(const std::string& file, const YAML::Mark& mark) {
  return file + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

std::string UnknownKeyMessage(const std::string& key) {
  std::vector<std::string> keys;
  std::string list;
  for (const SettingSpec& spec : AllSettings()) {
    keys.push_back(spec.key);
    list += (list.empty() ? "" : ", ") + spec.key;
  }
  std::string message = "unknown setting '" + key + "'";
  const std::string closest = ClosestWord(key, keys);
  if (!closest.empty()) message += "; did you mean '" + closest + "'?";
  return message + " (settings: " + list + ")";
}

Result<std::string> ReadConfigText(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::error_code ec;
  if (!in || std::filesystem::is_directory(file, ec)) {
    return InvalidArgument("--config: cannot read '" + file + "'");
  }
  std::string text(static_cast<size_t>(kMaxConfigBytes) + 1, '\0');
  in.read(text.data(), kMaxConfigBytes + 1);
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > static_cast<size_t>(kMaxConfigBytes)) {
    return InvalidArgument("--config: '" + file + "' is larger than 1 MiB");
  }
  return text;
}

Result<YAML::Node> ParseConfigYaml(const std::string& text, const std::string& file) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return InvalidArgument(Where(file, e.mark) + ": " + e.msg);
  }
}

// The settings a config file gives, checked: keys known, values single and of their kind.
Result<std::map<std::string, FileValue>> ReadConfigFile(const std::string& file) {
  KILN_ASSIGN_OR_RETURN(std::string text, ReadConfigText(file));
  KILN_ASSIGN_OR_RETURN(YAML::Node root, ParseConfigYaml(text, file));
  std::map<std::string, FileValue> out;
  if (root.IsNull()) return out;  // an empty file sets nothing
  if (!root.IsMap()) {
    return InvalidArgument(Where(file, root.Mark()) + ": expected a mapping of settings");
  }
  for (const auto& item : root) {
    const std::string where = Where(file, item.first.Mark());
    if (!item.first.IsScalar()) return InvalidArgument(where + ": a setting name must be a word");
    const std::string key = item.first.Scalar();
    const SettingSpec* spec = FindSpec(key);
    if (!spec) return InvalidArgument(where + ": " + UnknownKeyMessage(key));
    if (out.count(key)) return InvalidArgument(where + ": " + key + ": set twice");
    const std::string value_where = Where(file, item.second.Mark());
    if (!item.second.IsScalar()) {
      return InvalidArgument(value_where + ": " + key + ": expected a single value");
    }
    const std::string value = item.second.Scalar();
    if (Status valid = CheckValue(*spec, value); !valid.ok()) {
      return InvalidArgument(value_where + ": " + valid.message());
    }
    out[key] = {value, value_where};
  }
  return out;
}

std::string ExpandDefault(const std::string& value, const std::string& data_dir) {
  const std::string mark = "{data}";
  const size_t at = value.find(mark);
  if (at == std::string::npos) return value;
  return value.substr(0, at) + data_dir + value.substr(at + mark.size());
}

std::string AbsoluteFolder(const std::string& dir) {
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(dir, ec);
  return ec ? dir : absolute.lexically_normal().string();
}

// The value of one setting from the first source that gives it.
Result<Setting> ResolveOne(const SettingSpec& spec, const ConfigInputs& inputs,
                           const std::map<std::string, FileValue>& file_values,
                           const std::string& data_dir) {
  if (auto flag = inputs.flags.find(spec.key); flag != inputs.flags.end()) {
    const std::string name = FlagName(spec.key);
    if (Status valid = CheckValue(spec, flag->second); !valid.ok()) {
      return InvalidArgument(name + ": " + valid.message());
    }
    return Setting{flag->second, name};
  }
  const std::string env_name = EnvName(spec.key);
  if (auto env = inputs.env.find(env_name); env != inputs.env.end()) {
    if (Status valid = CheckValue(spec, env->second); !valid.ok()) {
      return InvalidArgument(env_name + ": " + valid.message());
    }
    return Setting{env->second, env_name};
  }
  if (auto in_file = file_values.find(spec.key); in_file != file_values.end()) {
    return Setting{in_file->second.value, in_file->second.where};
  }
  return Setting{ExpandDefault(spec.default_value, data_dir), "default"};
}

}  // namespace

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> env;
  for (char** entry = environ; entry && *entry; ++entry) {
    const std::string text = *entry;
    const size_t eq = text.find('=');
    if (eq != std::string::npos) env[text.substr(0, eq)] = text.substr(eq + 1);
  }
  return env;
}

Status CheckValue(const SettingSpec& spec, const std::string& value) {
  switch (spec.kind) {
    case SettingKind::kText:
      if (value.empty()) return InvalidArgument(spec.key + ": expected a value, got ''");
      return Status::Ok();
    case SettingKind::kNumber: {
      int64_t number = 0;
      const char* end = value.data() + value.size();
      auto [next, error] = std::from_chars(value.data(), end, number);
      if (value.empty() || error != std::errc() || next != end || number < spec.min ||
          number > spec.max) {
        return InvalidArgument(spec.key + ": expected an integer from " + std::to_string(spec.min) +
                               " to " + std::to_string(spec.max) + ", got '" + value + "'");
      }
      return Status::Ok();
    }
    case SettingKind::kUri: {
      const size_t colon = value.find("://");
      if (colon == std::string::npos || colon == 0) {
        return InvalidArgument(spec.key + ": expected a URI such as scheme:///path, got '" + value +
                               "'");
      }
      return Status::Ok();
    }
    case SettingKind::kChoice: {
      std::string list;
      for (const std::string& choice : spec.choices) {
        if (choice == value) return Status::Ok();
        list += (list.empty() ? "" : ", ") + choice;
      }
      return InvalidArgument(spec.key + ": expected one of " + list + ", got '" + value + "'");
    }
  }
  return Status::Ok();
}

Result<Config> ResolveConfig(const ConfigInputs& inputs) {
  std::map<std::string, FileValue> file_values;
  if (!inputs.file.empty()) {
    KILN_ASSIGN_OR_RETURN(file_values, ReadConfigFile(inputs.file));
  }
  Config config;
  KILN_ASSIGN_OR_RETURN(Setting data, ResolveOne(AllSettings().front(), inputs, file_values, ""));
  const std::string data_dir = AbsoluteFolder(data.value);
  for (const SettingSpec& spec : AllSettings()) {
    KILN_ASSIGN_OR_RETURN(Setting setting, ResolveOne(spec, inputs, file_values, data_dir));
    config.Set(spec.key, std::move(setting));
  }
  return config;
}

}  // namespace kiln::config
