// The MLflow search filter grammar: a conjunction of comparisons.
//   filter     := clause ( AND clause )*           (AND is case-insensitive)
//   clause     := identifier comparator value | identifier IS [NOT] NULL
//   identifier := [entity "."] key               entity: metric(s) param(s) tag(s)
//                 attribute(s) attr run dataset(s); no entity means attribute.
//                 key: bare word ([A-Za-z0-9_.-]+), "double quoted" or `backticked`
//   comparator := = != <> > >= < <= LIKE ILIKE IN NOT IN   (words case-insensitive)
//   value      := number | 'single' or "double" quoted string | ( 'a', 'b', ... )
// Pure functions, thread-safe. Errors are kInvalidArgument with a message that names the
// 0-based character position, e.g. "invalid filter at position 14: expected a value".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace kiln::tracking {

enum class FilterEntity { kMetric, kParam, kTag, kAttribute, kDataset };

enum class Comparator {
  kEq,
  kNe,
  kGt,
  kGe,
  kLt,
  kLe,
  kLike,
  kILike,
  kIn,
  kNotIn,
  kIsNull,
  kIsNotNull
};

struct FilterValue {
  enum class Kind { kNone, kNumber, kString, kList };  // kNone for IS [NOT] NULL
  Kind kind = Kind::kNone;
  double number = 0;               // kNumber
  std::string text;                // kString; for kNumber, the literal as written
  std::vector<std::string> items;  // kList (each item a string literal's content)
};

struct FilterClause {
  FilterEntity entity = FilterEntity::kAttribute;
  std::string key;  // unquoted key, e.g. "mlflow.runName" or "start_time"
  Comparator op = Comparator::kEq;
  FilterValue value;
  size_t position = 0;  // where the clause starts in the filter text
};

// Parses a filter; an empty or all-blank filter gives an empty vector.
Result<std::vector<FilterClause>> ParseFilter(std::string_view filter);

struct OrderByClause {
  FilterEntity entity = FilterEntity::kAttribute;
  std::string key;
  bool ascending = true;
};

// Parses one order_by item: identifier [ASC|DESC], e.g. "metrics.`acc` DESC".
Result<OrderByClause> ParseOrderBy(std::string_view text);

// "=", "!=", "LIKE", ... for messages.
const char* ComparatorText(Comparator op);

}  // namespace kiln::tracking
