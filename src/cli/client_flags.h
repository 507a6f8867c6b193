// What every command over the native API shares: the --data/--server/--json flags, choosing the
// ApiCaller they name, and reporting a failure with the exit code it deserves.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/api_caller.h"
#include "cli/config_flags.h"
#include "cli/query_commands.h"
#include "common/status.h"

namespace CLI {
class App;
}  // namespace CLI

namespace kiln::cli {

struct ClientFlags {
  ConfigFlags config;  // --data, --store, --artifacts, --config
  std::string server;
  OutputFlags output;
};

// Adds --data, --store, --artifacts, --config (config_flags.h), --server (also from KILN_SERVER)
// and --json to `command`; `flags` must outlive parsing.
void AddClientFlags(CLI::App& command, ClientFlags& flags);

// Prints "<who>: <message>" on stderr and returns the exit code for `status` (2 for the user's
// mistakes, 1 otherwise).
int Fail(const Status& status, const char* who = "kiln");

// Runs `fn` with the ApiCaller the flags choose and returns its exit code; a missing data
// folder is created only when `create`.
int WithApi(const ClientFlags& flags, bool create, const std::function<int(ApiCaller&)>& fn);

// A JSON value as a table cell: strings bare, null empty, the rest as JSON.
std::string Cell(const nlohmann::json& value);

}  // namespace kiln::cli
