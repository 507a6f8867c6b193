// Command-line dispatch. CLI11 is confined to this file.
#include "cli/cli.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <memory>

#include "cli/auth_commands.h"
#include "cli/builtin_step_command.h"
#include "cli/client_flags.h"
#include "cli/command_hint.h"
#include "cli/config_flags.h"
#include "cli/data_commands.h"
#include "cli/deploy_commands.h"
#include "cli/exit_codes.h"
#include "cli/http_flags.h"
#include "cli/log_setup.h"
#include "cli/module_commands.h"
#include "cli/predict_command.h"
#include "cli/query_commands.h"
#include "cli/run_command.h"
#include "cli/schedule_commands.h"
#include "cli/serve_command.h"
#include "cli/server_command.h"
#include "config/settings.h"

namespace kiln::cli {
namespace {

void AddServerCommand(CLI::App& app, ServerFlags& flags, int& rc) {
  CLI::App* server = app.add_subcommand("server", "Run the Kiln server (APIs and UI)");
  std::vector<std::string> every_setting;  // the server takes them all
  for (const config::SettingSpec& spec : config::AllSettings()) every_setting.push_back(spec.key);
  AddConfigFlags(*server, flags.config, every_setting);
  server->add_flag("--print-config", flags.print_config,
                   "Print the resolved settings and where each came from, then exit");
  server->add_flag("--quiet", flags.quiet, "No per-request access log");
  server
      ->add_option("--drift-min-rows", flags.drift_min_rows,
                   "Live rows a feature needs before its drift has a level (deployments may "
                   "set their own)")
      ->check(CLI::Range(int64_t{1}, int64_t{1000000000}))
      ->capture_default_str();
  server->add_option("--ui-dir", flags.ui_dir,
                     "Built web UI to serve at / (default: $KILN_UI_DIR, else web/dist or "
                     "share/kiln/web beside the binary's folder)");
  AddHttpFlags(*server, flags.http);
  auto allow_commands = std::make_shared<bool>(false);
  CLI::Option* allow = server->add_flag(
      "--allow-remote-commands", *allow_commands,
      "Run commands that network clients send (inline command steps, their project's command "
      "modules, command module publishing); =false refuses them. Default: on only when --host "
      "is a loopback address");
  server
      ->add_option("--pipeline-roots", flags.pipeline_roots,
                   "Folders network clients' pipelines (base_dir) may live in, besides "
                   "<data>/pipelines; repeatable or comma-separated")
      ->delimiter(',');
  server->callback([&flags, &rc, allow, allow_commands] {
    if (allow->count() > 0) flags.allow_remote_commands = *allow_commands;
    rc = ConfigureAndRunServer(flags);
  });
}

void AddQueryCommands(CLI::App& app, ClientFlags& flags, RunListFlags& run_flags, std::string& id,
                      int& rc) {
  CLI::App* experiments = app.add_subcommand("experiments", "Experiments")->require_subcommand(1);
  CLI::App* exp_ls = experiments->add_subcommand("ls", "List experiments");
  AddClientFlags(*exp_ls, flags);
  exp_ls->callback([&] {
    rc = WithApi(flags, false, [&](ApiCaller& a) { return ListExperiments(a, flags.output); });
  });

  CLI::App* runs = app.add_subcommand("runs", "Runs")->require_subcommand(1);
  CLI::App* runs_ls = runs->add_subcommand("ls", "List runs");
  AddClientFlags(*runs_ls, flags);
  runs_ls->add_option("--experiment", run_flags.experiment_ids, "Experiment id (repeatable)");
  runs_ls->add_option("--filter", run_flags.filter, "MLflow filter, e.g. \"metrics.acc > 0.9\"");
  runs_ls->add_option("--order-by", run_flags.order_by, "e.g. \"metrics.acc DESC\" (repeatable)");
  runs_ls->add_option("--max", run_flags.max_results, "Most runs to show")
      ->check(CLI::Range(1, 50000));
  runs_ls->callback([&] {
    rc = WithApi(flags, false, [&](ApiCaller& a) { return ListRuns(a, run_flags, flags.output); });
  });
  CLI::App* runs_show = runs->add_subcommand("show", "Show one run");
  AddClientFlags(*runs_show, flags);
  runs_show->add_option("RUN_ID", id, "Run id")->required();
  runs_show->callback([&] {
    rc = WithApi(flags, false, [&](ApiCaller& a) { return ShowRun(a, id, flags.output); });
  });

  CLI::App* models = app.add_subcommand("models", "Registered models")->require_subcommand(1);
  CLI::App* models_ls = models->add_subcommand("ls", "List registered models");
  AddClientFlags(*models_ls, flags);
  models_ls->callback([&] {
    rc = WithApi(flags, false, [&](ApiCaller& a) { return ListModels(a, flags.output); });
  });
  AddPredictCommand(*models, rc);
  CLI::App* models_show = models->add_subcommand("show", "Show a model and its versions");
  AddClientFlags(*models_show, flags);
  models_show->add_option("NAME", id, "Model name")->required();
  models_show->callback([&] {
    rc = WithApi(flags, false, [&](ApiCaller& a) { return ShowModel(a, id, flags.output); });
  });
}

void AddRunCommand(CLI::App& app, RunFlags& flags, int& rc) {
  CLI::App* run = app.add_subcommand("run", "Run a pipeline file (or a sweep of it)");
  run->add_option("FILE", flags.file, "Pipeline file (YAML)");
  run->add_option("OVERRIDES", flags.overrides,
                  "Hydra overrides: a=1 +step.p=2 ~step.p lr=0.1,0.2 depth=range(3,9,3)");
  run->add_flag("-m,--multirun", flags.multirun, "Expand sweeps into a grid of runs");
  run->add_option("--sample", flags.sample, "Random search: this many points")
      ->check(CLI::Range(1, 10000));
  run->add_option("--seed", flags.seed, "Seed for --sample")->check(CLI::NonNegativeNumber);
  run->add_option("--parallel", flags.parallel, "Sweep points running at once (0 = one per CPU)")
      ->check(CLI::Range(0, 1024));
  run->add_flag("--no-cache", flags.no_cache, "Run every step even if its result is cached");
  run->add_option("--resume", flags.resume, "Re-run what failed or never ran in this run");
  AddConfigFlags(*run, flags.config,
                 {"data", "store", "artifacts", "executor", "executor_cpus", "executor_memory_mb"});
  run->add_option("--server", flags.server, "Server URL, e.g. http://127.0.0.1:8080")
      ->envname("KILN_SERVER");
  run->add_flag("--json", flags.json, "Print the final runs as JSON");
  run->callback([&flags, &rc] { rc = RunPipeline(flags); });
}

// The unknown or missing word where a command was expected (`kiln runs lss`, `kiln runs`), as
// a message naming it and the closest command; "" when the command line has no such mistake.
std::string UnknownCommand(CLI::App& app, int argc, char** argv) {
  CLI::App* current = &app;
  std::string path = "kiln";
  for (int i = 1;; ++i) {
    std::vector<std::string> names;
    for (CLI::App* sub : current->get_subcommands([](CLI::App*) { return true; })) {
      names.push_back(sub->get_name());
    }
    if (names.empty()) return "";
    if (i >= argc) return UnknownCommandMessage(path, "", names);
    const std::string word = argv[i];
    if (word.empty() || word.front() == '-') continue;
    if (std::find(names.begin(), names.end(), word) == names.end()) {
      return UnknownCommandMessage(path, word, names);
    }
    current = current->get_subcommand(word);
    path += " " + word;
  }
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App app{"Kiln: data to live predictions in one binary"};
  app.require_subcommand(1);
  int rc = kExitOk;
  ServerFlags server_flags;
  ClientFlags client_flags;
  RunListFlags run_flags;
  std::string id;
  AddServerCommand(app, server_flags, rc);
  AddQueryCommands(app, client_flags, run_flags, id, rc);
  RunFlags pipeline_flags;
  AddRunCommand(app, pipeline_flags, rc);
  AddModuleCommands(app, rc);
  AddDataCommands(app, rc);
  AddBuiltinStepCommand(app, rc);
  AddScheduleCommands(app, rc);
  AddDeployCommands(app, rc);
  AddServeCommand(app, rc);
  AddUserCommands(app, rc);
  AddTokenCommands(app, rc);
  AddProjectCommands(app, rc);
  SetUpLogging();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Only a missing or extra word can be a mistyped command; other errors say it better.
    const bool word_error = e.get_name() == "ExtrasError" || e.get_name() == "RequiredError";
    const std::string unknown = word_error ? UnknownCommand(app, argc, argv) : "";
    if (!unknown.empty()) {
      std::cerr << unknown << "\n";
      return kExitUsage;
    }
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  return rc;
}

}  // namespace kiln::cli
