// Request rows from JSON, typed by a model's signature: the one conversion every prediction
// protocol (native, MLflow scoring, KServe v2) goes through, so they accept and refuse the same
// things with the same messages.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "ml/table.h"

namespace kiln::serving {

// Input columns and their type names ("float64", "int64", "bool", "string"), in model order.
using Signature = std::vector<std::pair<std::string, std::string>>;

inline constexpr size_t kMaxBatchRows = 10000;

// Distinct ignored field names listed per request; more are ignored without being listed, so a
// body of many distinct names costs linear time, not quadratic.
inline constexpr size_t kMaxIgnoredNames = 64;

// Fields a request sends that are not model inputs (an id sent along, say). By default they
// are skipped and each name is listed once in `ignored` (the first kMaxIgnoredNames; `unlisted`
// says there were more); with `refuse` (strict inputs) they are an error. Empty `ignored` costs
// nothing: the common case allocates nothing.
struct ExtraFields {
  bool refuse = false;
  std::vector<std::string> ignored;
  bool unlisted = false;

  // Adds `name` to `ignored` unless it is there (or the list is full). Never fails.
  void Ignore(std::string_view name);
};

// Row objects ([{"col": value, ...}, ...]) as a table with exactly the signature's columns.
// JSON null is a missing value. Fields that are not signature columns go to `extra`. Errors:
// kInvalidArgument naming `field`, the row (0-based, as `field[i]`) and the column: not a list
// of objects, an empty or oversized batch (> kMaxBatchRows), a missing feature, an extra one
// when `extra.refuse`, a value of the wrong type ("expected a number").
Result<ml::Table> TableFromRecords(const nlohmann::json& records, const Signature& signature,
                                   const std::string& field, ExtraFields& extra);

// Rows as value lists under `columns` (pandas' split orientation). `columns` may be empty to
// mean the signature's order; the values of columns that are not model inputs go to `extra`.
// Errors as TableFromRecords, plus a row of the wrong length.
Result<ml::Table> TableFromSplit(const std::vector<std::string>& columns,
                                 const nlohmann::json& data, const Signature& signature,
                                 const std::string& field, ExtraFields& extra);

// One value list per column ({"col": [v, ...], ...}). Errors as TableFromRecords, plus columns
// of different lengths.
Result<ml::Table> TableFromColumns(
    const std::vector<std::pair<std::string, const nlohmann::json*>>& columns,
    const Signature& signature, const std::string& field, ExtraFields& extra);

// `columns` read from a JSON array of strings. Errors: kInvalidArgument naming `field`.
Result<std::vector<std::string>> ColumnNames(const nlohmann::json& columns,
                                             const std::string& field);

}  // namespace kiln::serving
