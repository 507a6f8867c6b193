// The SQL of runs/search in pieces, so that one page can be read through more than one
// statement shape (run_search_page.h). Pure functions. Internal to tracking/.
#pragma once

#include <string>
#include <vector>

#include "meta/filter_sql.h"
#include "meta/search_filter.h"
#include "meta/search_paging.h"
#include "store/meta_store.h"
#include "tracking/tracking_service.h"

namespace kiln::tracking {

// The search language is meta/'s (shared with the registry); tracking's search code names
// its pieces unqualified.
using meta::CheckOrderByCount;
using meta::CheckSearchIdCount;
using meta::Comparator;
using meta::ComparatorText;
using meta::CompareNumber;
using meta::CompareText;
using meta::FilterClause;
using meta::FilterEntity;
using meta::FilterError;
using meta::JoinConditions;
using meta::kMaxResultsLimit;
using meta::OrderByClause;
using meta::OrderTerm;
using meta::ParseFilter;
using meta::ParseOrderBy;
using meta::RenderOrderBy;
using meta::SqlCondition;
using meta::ValidateMaxResults;

// One order_by item: the parsed item, a LEFT JOIN bringing its value as alias o<index>
// (empty for attributes) with the join's arguments, and its ORDER BY term, which puts runs
// without a value last in either direction.
struct RunOrder {
  OrderByClause clause;
  std::string join;
  std::vector<store::Value> join_args;
  OrderTerm term;
};

// A runs/search query as SQL pieces over `runs r`.
struct RunSearchSql {
  std::vector<SqlCondition> scope;    // lifecycle stage, then the experiment ids if any
  std::vector<FilterClause> clauses;  // the parsed filter
  std::vector<SqlCondition> filters;  // one per clause, in the same order
  std::vector<RunOrder> orders;       // one per order_by item, in the same order
};

// Errors: kInvalidArgument naming a bad filter, order_by item or experiment id.
Result<RunSearchSql> BuildRunSearchSql(const RunQuery& query);

// The general statement, without LIMIT: SELECT kRunColumns of every matching run, ordered by
// the order_by items (start_time DESC when there are none), then run_id ASC.
SqlCondition RenderRunSearch(const RunSearchSql& sql);

}  // namespace kiln::tracking
