// The SQL of runs/search in pieces, so that one page can be read through more than one
// statement shape (run_search_page.h). Pure functions. Internal to tracking/.
#pragma once

#include <string>
#include <vector>

#include "store/meta_store.h"
#include "tracking/filter_sql.h"
#include "tracking/search_filter.h"
#include "tracking/search_paging.h"
#include "tracking/tracking_service.h"

namespace kiln::tracking {

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
