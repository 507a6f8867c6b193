// The first rows of a stored .ktab table, for people to look at (the web UI's preview of a
// step's table output). Numeric and bool columns read only the rows shown; string columns are
// read whole (the file format has no row-ranged string read).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/status.h"
#include "ml/table.h"

namespace kiln::ml {

// One cell: missing, a number (int64 or float64), a bool or a string.
using PreviewCell = std::variant<std::monostate, double, int64_t, bool, std::string>;

struct TablePreview {
  size_t row_count = 0;                        // rows in the whole table
  std::vector<std::string> names;              // column names, in file order
  std::vector<ColumnType> types;               // their types
  std::vector<std::vector<PreviewCell>> rows;  // the first min(limit, row_count) rows
};

// Reads the first `limit` rows of the .ktab file at `path`. Errors: those of
// TableFileView::Open (kInvalidArgument naming the path for a file that is no Kiln table).
Result<TablePreview> PreviewTableFile(const std::string& path, size_t limit);

}  // namespace kiln::ml
