#include "cli/builtin_step_command.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/exit_codes.h"
#include "cli/register_step.h"
#include "ml/builtins.h"

namespace kiln::cli {

int RunBuiltinStep(const std::string& path) {
  Result<ml::BuiltinStep> step = ml::BuiltinStep::Load(path);
  if (!step.ok()) {
    std::cerr << "kiln builtin-step: " << step.status().message() << "\n";
    return kExitUsage;
  }
  if (step->builtin() == "register") return RunRegisterStep(*step);
  Status status = ml::RunBuiltin(*step);
  if (!status.ok()) {
    std::cerr << step->builtin() << ": " << status.message() << "\n";
    return kExitFailure;
  }
  return kExitOk;
}

void AddBuiltinStepCommand(CLI::App& app, int& rc) {
  auto path = std::make_shared<std::string>();
  CLI::App* command =
      app.add_subcommand("builtin-step", "Run one builtin pipeline step (the runner calls this)");
  command->group("");  // hidden from --help
  command->add_option("REQUEST", *path, "The step's builtin.json")->required();
  command->callback([path, &rc] { rc = RunBuiltinStep(*path); });
}

}  // namespace kiln::cli
