// `kiln run`: runs a pipeline file (or a sweep of it) locally or on a server and shows its
// progress live. Both modes go through the same /api/v1/pipeline-runs calls (ApiCaller).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli/config_flags.h"

namespace kiln::cli {

struct RunFlags {
  std::string file;                    // the pipeline file
  std::vector<std::string> overrides;  // Hydra-style overrides
  bool multirun = false;
  int64_t sample = 0;
  int64_t seed = 0;
  int64_t parallel = 0;
  bool no_cache = false;
  std::string resume;  // a pipeline run id to resume instead of a file
  ConfigFlags config;  // --data, --store, --artifacts, --executor..., --config
  std::string server;
  bool json = false;  // print the final runs as JSON instead of the live view
};

// Runs and waits. Exit codes: 0 all runs succeeded, 1 some failed (or the server is
// unreachable), 2 bad input (nothing ran), 130 cancelled with Ctrl-C.
int RunPipeline(const RunFlags& flags);

}  // namespace kiln::cli
