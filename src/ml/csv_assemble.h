// Turning the per-chunk column builders of a parsed CSV into the columns of a Table: the final
// type of each column is settled across chunks, then the chunks' values are concatenated.
// Internal to ml/.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ml/csv_chunk.h"
#include "ml/table.h"

namespace kiln::ml::csv {

// A chunk's byte range and its parse result (which must have no error).
struct ParsedChunk {
  const char* begin;
  const char* end;
  ChunkResult result;
};

// The builder kind that holds values of `type`. Never fails.
Kind KindFor(ColumnType type);

// Builds the table from `chunks` (consumed), with `names` and, per column, a declared type or
// nullopt to use the inferred one. Builds columns on up to `threads` threads.
// Never fails.
Table AssembleTable(std::vector<ParsedChunk>& chunks, const std::vector<std::string>& names,
                    const std::vector<std::optional<ColumnType>>& declared, char delimiter,
                    size_t threads);

}  // namespace kiln::ml::csv
