// `kiln models predict NAME@ALIAS|NAME@VERSION --input rows.csv|rows.json`: scores rows offline
// with a registered model package (from the `register` step), through the same predictor the
// evaluation step and serving use. Prints CSV: `predicted` and, for classifiers, `p_<class>`.
#pragma once

#include <string>

#include "cli/api_caller.h"

namespace CLI {
class App;
}  // namespace CLI

namespace kiln::cli {

struct PredictFlags {
  std::string model;   // NAME@ALIAS or NAME@VERSION
  std::string input;   // .csv (header line) or .json (a list of objects, one per row)
  std::string output;  // empty: stdout
};

// Exit codes: 0, 2 for an unknown model/alias/version, a version that is no Kiln package, an
// unreadable input or rows the model refuses (missing column, class not seen in training).
int PredictRows(ApiCaller& api, const PredictFlags& flags);

// Adds `predict` to the `models` command group.
void AddPredictCommand(CLI::App& models, int& rc);

}  // namespace kiln::cli
