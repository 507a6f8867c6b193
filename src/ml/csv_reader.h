// ReadCsv: parses CSV text (RFC 4180 quoting, LF or CRLF line ends) into a Table, inferring
// column types or using declared ones.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ml/table.h"

namespace kiln::ml {

struct CsvOptions {
  char delimiter = ',';
  // When false, columns are named c0, c1, ... and the first line is data.
  bool header = true;
  // Column name -> type, overriding inference; values that do not parse are errors.
  std::map<std::string, ColumnType> types;
  // Field contents read as missing (compared after removing quotes).
  std::vector<std::string> missing = {"", "NA", "NaN", "null", "N/A"};
  // Threads, each converting a share of the columns (every thread scans all rows); 0 = one per
  // core. One by default: pipeline steps already run side by side, and on a busy machine extra
  // threads only wait for cores. Inputs under 1 MiB always use one.
  int num_threads = 1;
};

// Parses `text`; `source` names it in error messages (e.g. the file name).
// Type inference per column, over its non-missing values: int64 if all are integers, else
// float64 if all are numbers, else bool if all are true/false (any case), else string; a column
// with no values at all is float64. Blank lines are skipped; a UTF-8 BOM is ignored.
// Errors: kInvalidArgument "<source> line N[, column 'c']: ..." for ragged rows, values not
// matching a declared type, unterminated quotes, text after a closing quote, duplicate header
// names, a declared type for an unknown column, and (with a header) input without any line.
// kResourceExhausted when memory runs out. Thread-safe; uses up to num_threads threads.
Result<Table> ReadCsvString(std::string_view text, const CsvOptions& options = {},
                            std::string_view source = "<string>");

// Reads the file at `path` whole and parses it as ReadCsvString with source = path.
// Errors: kNotFound (no such file), kInternal (read failure), and those of ReadCsvString.
Result<Table> ReadCsvFile(const std::string& path, const CsvOptions& options = {});

}  // namespace kiln::ml
