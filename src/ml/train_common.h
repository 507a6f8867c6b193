// What every training builtin shares: describing the model package from the step's label,
// features and task params, and shipping the fitted preprocessing chain inside it.
#pragma once

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "ml/builtin_step.h"
#include "ml/model_package.h"
#include "ml/table.h"
#include "ml/table_file_view.h"

namespace kiln::ml {

// What DescribeModel reads of a training table: its columns' names and types, and one column's
// values on demand (the label's).
struct TrainingSchema {
  std::vector<std::string> names;
  std::vector<ColumnType> types;
  std::function<Result<Column>(size_t index)> column;

  // The position of column `name`; names.size() when there is none.
  size_t IndexOf(const std::string& name) const {
    return static_cast<size_t>(std::find(names.begin(), names.end(), name) - names.begin());
  }
};

// The schema of an in-memory table, or of a .ktab file read lazily. `table` must outlive it.
TrainingSchema SchemaOf(const Table& table);
TrainingSchema SchemaOf(const TableFileView& table);

// A package manifest (flavor left to the caller) from the params `label`, `features` and `task`
// (auto, binary, multiclass, regression) and the training table: the feature columns, the task
// (auto: classification for string or bool labels, binary with 2 classes), the classes and the
// signature. The signature lists the raw columns a caller sends: with a `preprocess` input, the
// chain's recorded input columns it reads or passes to the model as they are. Errors:
// kInvalidArgument naming the column or the task that does not fit, or a bad chain file.
Result<ModelPackage> DescribeModel(const BuiltinStep& step, const TrainingSchema& train);

// Copies the optional `preprocess` input into the package folder `dir` (created if needed) and
// marks the package as carrying it. Errors: kInternal on I/O.
Status ShipPreprocess(const BuiltinStep& step, const std::string& dir, ModelPackage& package);

}  // namespace kiln::ml
