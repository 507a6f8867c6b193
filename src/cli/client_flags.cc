#include "cli/client_flags.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/exit_codes.h"

namespace kiln::cli {

void AddClientFlags(CLI::App& command, ClientFlags& flags) {
  command.add_option("--data", flags.data, "Data folder to use when no server is given")
      ->capture_default_str();
  command.add_option("--server", flags.server, "Server URL, e.g. http://127.0.0.1:8080")
      ->envname("KILN_SERVER");
  command.add_flag("--json", flags.output.json, "Print JSON instead of text");
}

int Fail(const Status& status, const char* who) {
  std::cerr << who << ": " << status.message() << "\n";
  return ExitCodeFor(status);
}

int WithApi(const ClientFlags& flags, bool create, const std::function<int(ApiCaller&)>& fn) {
  Result<std::unique_ptr<ApiCaller>> api = MakeApiCaller(flags.server, flags.data, create);
  if (!api.ok()) return Fail(api.status());
  return fn(**api);
}

std::string Cell(const nlohmann::json& value) {
  if (value.is_null()) return "";
  return value.is_string() ? value.get<std::string>() : value.dump();
}

}  // namespace kiln::cli
