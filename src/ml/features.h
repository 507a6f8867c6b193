// From tables to what a learner takes: a dense feature matrix and encoded labels.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "ml/table.h"

namespace kiln::ml {

// The columns of `table` a model learns from: every column but `label`, in table order; or
// `chosen` when not empty (each must exist and differ from `label`). Errors: kInvalidArgument
// naming the column.
Result<std::vector<std::string>> FeatureColumns(const Table& table, const std::string& label,
                                                const std::vector<std::string>& chosen);

// Row-major floats of `features` (NaN for missing values; bools as 0/1). Errors:
// kInvalidArgument for a missing column or a string column ("encode it first").
Result<std::vector<float>> FeatureMatrix(const Table& table,
                                         const std::vector<std::string>& features);

// The sorted distinct values (as text) of a label column. Errors: kInvalidArgument for a
// missing value (naming the row).
Result<std::vector<std::string>> LabelClasses(const Column& label);

// Labels as floats: class indices into `classes` for classifiers (kInvalidArgument naming the
// row for a value not among them), the values themselves for regression (`classes` empty).
Result<std::vector<float>> EncodeLabels(const Column& label,
                                        const std::vector<std::string>& classes);

}  // namespace kiln::ml
