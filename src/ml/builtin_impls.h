// The builtin modules' entry points, one per file (builtin_<name>.cc); builtins.cc maps names
// to them. Each reads its inputs and params from `step`, writes every declared output and
// returns kInvalidArgument for bad data or params, naming the column, row or param.
#pragma once

#include "common/status.h"
#include "ml/builtin_step.h"

namespace kiln::ml {

Status RunReadCsv(const BuiltinStep& step);        // read-csv: source (file) -> table
Status RunWriteCsv(const BuiltinStep& step);       // write-csv: table -> csv (file)
Status RunSelectColumns(const BuiltinStep& step);  // select-columns: table -> table
Status RunSplit(const BuiltinStep& step);          // split: table -> train, test
Status RunFilterRows(const BuiltinStep& step);     // filter-rows: table -> table
Status RunJoin(const BuiltinStep& step);           // join: left, right -> table
Status RunCheck(const BuiltinStep& step);          // check: table -> table (or fail)
Status RunTrainXgboost(const BuiltinStep& step);   // train-xgboost: train[, validation] -> model
Status RunTrainLinear(const BuiltinStep& step);    // train-linear: train -> model
Status RunEvaluate(const BuiltinStep& step);       // evaluate: model, test -> predictions
Status RunPreprocess(const BuiltinStep& step);     // preprocess: train, test -> same + file

}  // namespace kiln::ml
