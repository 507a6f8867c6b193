#include "cli/client_flags.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/exit_codes.h"

namespace kiln::cli {

void AddClientFlags(CLI::App& command, ClientFlags& flags) {
  AddConfigFlags(command, flags.config, {"data", "store", "artifacts"});
  command.add_option("--server", flags.server, "Server URL, e.g. http://127.0.0.1:8080")
      ->envname("KILN_SERVER");
  command.add_flag("--json", flags.output.json, "Print JSON instead of text");
}

int Fail(const Status& status, const char* who) {
  std::cerr << who << ": " << status.message() << "\n";
  return ExitCodeFor(status);
}

int WithApi(const ClientFlags& flags, bool create, const std::function<int(ApiCaller&)>& fn) {
  Result<config::Config> settings = ResolveConfigFlags(flags.config);
  if (!settings.ok()) return Fail(settings.status());
  Result<std::unique_ptr<ApiCaller>> api = MakeApiCaller(flags.server, *settings, create);
  if (!api.ok()) return Fail(api.status());
  return fn(**api);
}

std::string Cell(const nlohmann::json& value) {
  if (value.is_null()) return "";
  return value.is_string() ? value.get<std::string>() : value.dump();
}

}  // namespace kiln::cli
