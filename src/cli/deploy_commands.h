// `kiln deploy`, `kiln undeploy` and `kiln deployments ls|show`: deployments from the command
// line, over the native API (against --server URL, or in-process against --data DIR, where the
// deployment is recorded and served once `kiln server` runs on that folder).
#pragma once

#include <cstdint>
#include <string>

#include "cli/api_caller.h"
#include "cli/query_commands.h"

namespace CLI {
class App;
}  // namespace CLI

namespace kiln::cli {

// Registers the commands on `app`; the one that runs stores its exit code in `rc`, which must
// outlive parsing. Not thread-safe (CLI setup).
void AddDeployCommands(CLI::App& app, int& rc);

struct DeployFlags {
  std::string name;
  std::string model;   // MODEL@ALIAS or MODEL/VERSION
  std::string canary;  // optional MODEL/VERSION or MODEL@ALIAS
  int canary_weight = 10;
  bool strict_inputs = false;  // refuse extra fields and unseen categories
  int64_t drift_min_rows = 0;  // live rows before drift has a level; 0 = the server's default
  bool wait = true;            // wait until the deployment serves (only with a server)
  int timeout_s = 120;         // how long to wait
};

// Creates or updates the deployment, then (with `wait`) polls until its versions are loaded.
// Prints the endpoints. Exit 0; 2 for a bad name, reference or weight; 1 when loading fails.
int Deploy(ApiCaller& api, const DeployFlags& flags, bool wait);
// Exit 2 for an unknown deployment.
int Undeploy(ApiCaller& api, const std::string& name);
int ListDeployments(ApiCaller& api, const OutputFlags& out);
int ShowDeployment(ApiCaller& api, const std::string& name, const OutputFlags& out);

struct RequestsFlags {
  std::string name;
  int64_t since_ms = 0;
  int64_t limit = 20;
};
// Prints the newest logged requests of a deployment (needs a server: the log is its own).
int ListRequests(ApiCaller& api, const RequestsFlags& flags, const OutputFlags& out);

}  // namespace kiln::cli
