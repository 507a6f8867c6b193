// From tables to what a learner takes: a dense feature matrix and encoded labels.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "ml/column_ref.h"
#include "ml/table.h"

namespace kiln::ml {

// The columns of `table` a model learns from: every column but `label`, in table order; or
// `chosen` when not empty (each must exist and differ from `label`). Errors: kInvalidArgument
// naming the column.
Result<std::vector<std::string>> FeatureColumns(const Table& table, const std::string& label,
                                                const std::vector<std::string>& chosen);
// As above, given the table's column names in order. Errors: kNotFound "no column 'x'
// (columns: a, b)" for a chosen or label column that is not among them, kInvalidArgument.
Result<std::vector<std::string>> FeatureColumns(const std::vector<std::string>& columns,
                                                const std::string& label,
                                                const std::vector<std::string>& chosen);

// OK for a numeric or bool column; kInvalidArgument for a string column `name` ("encode it
// first").
Status CheckNumericFeature(const std::string& name, ColumnType type);

// Row-major floats of `features` (NaN for missing values; bools as 0/1). Errors:
// kInvalidArgument for a missing column or a string column ("encode it first").
Result<std::vector<float>> FeatureMatrix(const Table& table,
                                         const std::vector<std::string>& features);

// Writes `rows` rows of numeric `columns` (payloads starting at the first of those rows) into
// the row-major `out` (rows x columns.size() floats): NaN for missing values, bools as 0/1.
// String columns are a bug (checked with CheckNumericFeature first). Never fails.
void FillFeatureRows(const std::vector<ColumnRef>& columns, size_t rows, float* out);

// The sorted distinct values (as text) of a label column. Errors: kInvalidArgument for a
// missing value (naming the row).
Result<std::vector<std::string>> LabelClasses(const Column& label);

// Labels as floats: class indices into `classes` for classifiers (kInvalidArgument naming the
// row for a value not among them), the values themselves for regression (`classes` empty).
Result<std::vector<float>> EncodeLabels(const Column& label,
                                        const std::vector<std::string>& classes);

}  // namespace kiln::ml
