// `kiln serve MODEL_URI`: a stand-alone serving replica with the deployment routes (native,
// MLflow scoring, KServe v2, OpenAPI, /metrics) for one model, to run several behind a load
// balancer. MODEL_URI is a package folder, or models:/MODEL@ALIAS or models:/MODEL/VERSION
// fetched once at start from --server URL or --data DIR.
#pragma once

#include <cstdint>
#include <string>

#include "cli/client_flags.h"
#include "cli/http_flags.h"

namespace CLI {
class App;
}  // namespace CLI

namespace kiln::cli {

struct ServeFlags : ClientFlags {
  std::string model_uri;
  std::string name;  // the deployment name in the routes; default: the model's name
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  int threads = 0;
  int max_body_mb = 64;
  std::string log_dir;  // where to keep the request log; empty: none (metrics only)
  bool quiet = false;
  HttpFlags http;                // allowed hosts and origins, connection caps
  bool strict_inputs = false;    // refuse extra fields and unseen categories
  int64_t drift_min_rows = 100;  // live rows before drift has a level
};

// Registers `serve` on `app`; its exit code goes to `rc`. Prints "Kiln serving MODEL as NAME on
// http://HOST:PORT" once ready; stops on SIGINT/SIGTERM. Exit 2 for a bad URI or model.
void AddServeCommand(CLI::App& app, int& rc);

}  // namespace kiln::cli
