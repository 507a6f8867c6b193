// Internal to preprocess: the working set of columns the operations rewrite in place, the
// column checks they share (with their error messages), and each operation's apply step.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/status.h"
#include "ml/preprocess.h"
#include "ml/table.h"

namespace kiln::ml::preprocess_internal {

// The columns of a table being transformed; all have `rows` entries. A value type.
struct Frame {
  std::vector<Column> columns;
  size_t rows = 0;
  // Lenient apply: unseen categories are encoded and listed here. Null: they are errors.
  std::vector<UnseenCategory>* unseen = nullptr;
};

// A copy of `table`'s columns. Never fails.
Frame ToFrame(const Table& table);
// The table of `frame`'s columns, moved. Errors: kInvalidArgument for a repeated name.
Result<Table> ToTable(Frame frame);

// Index of column `name`. Errors: kInvalidArgument "column 'x' is missing".
Result<size_t> FindColumn(const Frame& frame, const std::string& name);
// Errors: kInvalidArgument "column 'x' already exists" when a new column's name is taken.
Status RequireNewName(const Frame& frame, const std::string& name);
// Errors: kInvalidArgument "column 'x' row N: missing value (OP needs one; ...)" at the first
// missing entry.
Status RequireValues(const Column& column, const std::string& op);
// Errors: kInvalidArgument when `column` is not of the training `type`, naming both.
Status RequireType(const Column& column, ColumnType type);
// The values of an int64 or float64 column as doubles. Errors: kInvalidArgument for another
// type or a missing value (as RequireValues).
Result<std::vector<double>> NumericValues(const Column& column, const std::string& op);

// The apply step of each operation, rewriting `frame`; errors as ApplyPreprocess.
Status ApplyImpute(const std::vector<ImputeFit>& fits, Frame& frame);
Status ApplyCross(const FittedPreprocess& fitted, Frame& frame);
Status ApplyLabelEncode(const std::vector<CategoriesFit>& fits, Frame& frame);
Status ApplyOneHot(const std::vector<CategoriesFit>& fits, Frame& frame);
Status ApplyStandardize(const std::vector<StandardizeFit>& fits, Frame& frame);
Status ApplyMinMax(const std::vector<MinMaxFit>& fits, Frame& frame);

}  // namespace kiln::ml::preprocess_internal
