// The configuration flags of commands that open a data folder: --config FILE (or KILN_CONFIG)
// and one flag per setting (config/settings.h), resolved with the KILN_* environment and the
// file into one config::Config, and turned into the App's seams.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "api/app.h"
#include "config/settings.h"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace kiln::cli {

struct ConfigFlags {
  std::string file;                           // --config
  std::map<std::string, std::string> values;  // bound to the setting flags
  std::set<std::string> given;                // keys whose flag was on the command line
};

// Adds --config and the flags of the settings `keys` to `command`; `flags` must outlive parsing.
void AddConfigFlags(CLI::App& command, ConfigFlags& flags, const std::vector<std::string>& keys);

// The settings from the flags given, the environment and the config file; the seams' URIs and
// the executor's kind checked against their factories. Errors: kInvalidArgument naming the key
// and where its value came from (flag, variable, FILE:LINE:COL).
Result<config::Config> ResolveConfigFlags(const ConfigFlags& flags);

// The seams of `config` (store, artifacts, executor) as App options.
void ApplySeams(const config::Config& config, api::AppOptions& options);

}  // namespace kiln::cli
