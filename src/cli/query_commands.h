// Read-only commands over the native API: experiments, runs and models.
#pragma once

#include <string>
#include <vector>

#include "cli/api_caller.h"

namespace kiln::cli {

struct OutputFlags {
  bool json = false;  // print the API's JSON instead of a table
};

struct RunListFlags {
  std::vector<std::string> experiment_ids;
  std::string filter;
  std::vector<std::string> order_by;
  int max_results = 50;
};

// Each prints to stdout and returns the exit code (2 for unknown ids or bad filters).
int ListExperiments(ApiCaller& api, const OutputFlags& out);
int ListRuns(ApiCaller& api, const RunListFlags& flags, const OutputFlags& out);
int ShowRun(ApiCaller& api, const std::string& run_id, const OutputFlags& out);
int ListModels(ApiCaller& api, const OutputFlags& out);
int ShowModel(ApiCaller& api, const std::string& name, const OutputFlags& out);

}  // namespace kiln::cli
