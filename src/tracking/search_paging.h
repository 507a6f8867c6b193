// Shared pieces of the search endpoints: view filters, ORDER BY rendering and paging.
#pragma once

#include <string>
#include <vector>

#include "common/page.h"
#include "store/meta_store.h"
#include "tracking/entities.h"
#include "tracking/filter_sql.h"

namespace kiln::tracking {

// "lifecycle_stage = 'active'" (or deleted, or "1=1") for `column`.
std::string ViewCondition(const std::string& column, ViewType view);

// One ORDER BY term: SQL text (may hold '?') and its arguments.
struct OrderTerm {
  std::string sql;
  std::vector<store::Value> args;
};

// "ORDER BY ..." with arguments, from terms. Missing values sort last.
SqlCondition RenderOrderBy(const std::vector<OrderTerm>& terms);

// Runs `sql` (a SELECT without LIMIT) for the page at `page_token`; fetches one extra row
// to know whether a next page exists. Errors: kInvalidArgument for a bad token or
// max_results, kInternal from the store.
Result<Page<store::Row>> QueryPage(store::Session& session, const std::string& sql,
                                   const std::vector<store::Value>& args, int64_t max_results,
                                   const std::string& page_token,
                                   int64_t max_results_limit = 50000);

}  // namespace kiln::tracking
