// Turning the column builders of a parsed CSV into the columns of a Table: each column's final
// type is settled (texts re-read where a column started out numeric), then values are moved
// into columns. Internal to ml/.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ml/csv_chunk.h"
#include "ml/table.h"

namespace kiln::ml::csv {

// The builder kind that holds values of `type`. Never fails.
Kind KindFor(ColumnType type);

// Builds the table from the builders of the rows in [begin, end) (consumed, and parsed without
// error), with `names` and, per column, a declared type or nullopt to use the inferred one.
// Builds columns on up to `threads` threads. Never fails.
Table AssembleTable(const char* begin, const char* end, std::vector<ColumnBuilder>& builders,
                    const std::vector<std::string>& names,
                    const std::vector<std::optional<ColumnType>>& declared, char delimiter,
                    size_t threads);

}  // namespace kiln::ml::csv
