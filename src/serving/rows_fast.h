// The fast path for native prediction requests: {"rows": [{"col": value, ...}, ...]} read
// straight from the body text into a table, without building a JSON document first. It takes
// only the plain, certain case and otherwise declines, so callers keep the full parser (and its
// error messages) as the fallback.
#pragma once

#include <optional>
#include <string_view>

#include "ml/table.h"
#include "serving/rows_json.h"

namespace kiln::serving {

// `body` as a table when it is exactly {"rows": [...]} with 1..kMaxBatchRows row objects, each
// holding every signature column once (any order) and, unless `extra.refuse`, other fields
// whose values are scalars (skipped; their names go to `extra`, once each); values are null,
// numbers, true/false or strings without escapes and bytes >= 0x80, of the column's type. The
// table then equals TableFromRecords(json::parse(body)["rows"], signature, "rows", extra) bit
// for bit. Any other input (including every invalid one) gives std::nullopt, never an error:
// parse it the slow way (after clearing `extra.ignored`). Thread-safe; `body` is only read
// during the call.
std::optional<ml::Table> FastTableFromNativeRows(std::string_view body, const Signature& signature,
                                                 ExtraFields& extra);

}  // namespace kiln::serving
