// Parsing one chunk of CSV rows (a range that starts and ends at row boundaries) into column
// builders. Internal to ml/; each call is independent, so chunks can be parsed in parallel.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "ml/csv_column_builder.h"
#include "ml/csv_values.h"

namespace kiln::ml::csv {

// What the chunk parser needs to know about the columns. Not owned: `missing` must outlive
// the parse.
struct ChunkSpec {
  char delimiter = ',';
  const MissingSet* missing = nullptr;
  std::vector<Kind> kinds;     // starting kind per column
  std::vector<bool> declared;  // whether that kind is declared (fixed)
  // Columns this parse converts (empty = all); the others are only checked and skipped, so
  // that threads can share the columns of one range.
  std::vector<bool> owned;
};

// The first problem in a chunk; kind kNone when the chunk parsed.
struct ChunkError {
  enum Kind { kNone, kRagged, kBadValue, kUnterminatedQuote, kTextAfterQuote };
  Kind kind = kNone;
  const char* at = nullptr;     // start of the row (kRagged) or of the field
  const char* field = nullptr;  // the field where the problem was seen (orders errors)
  size_t column = 0;
  std::string_view raw;  // the offending field (kBadValue)
};

struct ChunkResult {
  std::vector<ColumnBuilder> builders;  // one per column
  ChunkError error;
};

// Parses the rows in [begin, end), skipping blank lines, converting the owned columns. Never fails
// otherwise than through `error`, which stops the parse.
ChunkResult ParseChunk(const char* begin, const char* end, const ChunkSpec& spec);

// Raw field views, per column with need[column] set, for every row in [begin, end) (which must
// have parsed without error); other columns get an empty vector.
std::vector<std::vector<std::string_view>> CollectTexts(const char* begin, const char* end,
                                                        char delimiter,
                                                        const std::vector<bool>& need);

}  // namespace kiln::ml::csv
