#include "cli/config_flags.h"

#include <CLI/CLI.hpp>
#include <cstdlib>

#include "artifacts/artifact_store_uri.h"
#include "config/config_loader.h"
#include "exec/executor_factory.h"
#include "store/store_uri.h"

namespace kiln::cli {
namespace {

const config::SettingSpec* Spec(const std::string& key) {
  for (const config::SettingSpec& spec : config::AllSettings()) {
    if (spec.key == key) return &spec;
  }
  return nullptr;
}

// Refuses a seam value its factory does not know, naming where the value came from.
Status CheckSeams(const config::Config& config) {
  if (Status s = store::CheckMetaStoreUri(config.Get("store")); !s.ok()) {
    return config.Refuse("store", s.message());
  }
  if (Status s = artifacts::CheckArtifactStoreUri(config.Get("artifacts")); !s.ok()) {
    return config.Refuse("artifacts", s.message());
  }
  if (Status s = exec::CheckExecutorKind(config.Get("executor")); !s.ok()) {
    return config.Refuse("executor", s.message());
  }
  return Status::Ok();
}

}  // namespace

void AddConfigFlags(CLI::App& command, ConfigFlags& flags, const std::vector<std::string>& keys) {
  command.add_option("--config", flags.file, "Settings file (YAML); see docs/configuration.md")
      ->envname("KILN_CONFIG");
  for (const std::string& key : keys) {
    const config::SettingSpec* spec = Spec(key);
    if (!spec) continue;
    std::string help =
        spec->help + " (" + config::EnvName(key) + "; default " + spec->default_value + ")";
    command.add_option(config::FlagName(key), flags.values[key], help)
        ->each([&flags, key](const std::string&) { flags.given.insert(key); });
  }
}

Result<config::Config> ResolveConfigFlags(const ConfigFlags& flags) {
  config::ConfigInputs inputs;
  inputs.file = flags.file;
  inputs.env = config::ProcessEnvironment();
  for (const std::string& key : flags.given) inputs.flags[key] = flags.values.at(key);
  KILN_ASSIGN_OR_RETURN(config::Config config, config::ResolveConfig(inputs));
  KILN_RETURN_IF_ERROR(CheckSeams(config));
  return config;
}

void ApplySeams(const config::Config& config, api::AppOptions& options) {
  options.store_uri = config.Get("store");
  options.artifacts_uri = config.Get("artifacts");
  options.executor.kind = config.Get("executor");
  options.executor.cpus = static_cast<double>(config.GetNumber("executor_cpus"));
  options.executor.memory_mb = config.GetNumber("executor_memory_mb");
}

}  // namespace kiln::cli
