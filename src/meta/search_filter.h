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

namespace kiln::meta {

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

// Limits that keep a search's SQL within what the store runs (SQLite: 64 tables in a join,
// expressions 1000 deep, 32766 bound values), so a search too big is the client's 400, never
// the store's 500.
inline constexpr size_t kMaxFilterClauses = 100;      // AND-ed clauses in one filter
inline constexpr size_t kMaxFilterListItems = 10000;  // values in all IN (...) lists of one filter
inline constexpr size_t kMaxOrderByItems = 16;        // order_by items of one search
inline constexpr size_t kMaxSearchIds = 10000;        // e.g. experiment_ids of one search

// Parses a filter; an empty or all-blank filter gives an empty vector. Errors also name
// kMaxFilterClauses or kMaxFilterListItems when the filter has more.
Result<std::vector<FilterClause>> ParseFilter(std::string_view filter);

// OK when a search has at most kMaxOrderByItems order_by items. Errors: kInvalidArgument naming
// the count and the limit.
Status CheckOrderByCount(size_t items);
// OK when the list `field` (e.g. "experiment_ids") has at most kMaxSearchIds items. Errors:
// kInvalidArgument naming the field, the count and the limit.
Status CheckSearchIdCount(const std::string& field, size_t items);

struct OrderByClause {
  FilterEntity entity = FilterEntity::kAttribute;
  std::string key;
  bool ascending = true;
};

// Parses one order_by item: identifier [ASC|DESC], e.g. "metrics.`acc` DESC".
Result<OrderByClause> ParseOrderBy(std::string_view text);

// "=", "!=", "LIKE", ... for messages.
const char* ComparatorText(Comparator op);

}  // namespace kiln::meta
