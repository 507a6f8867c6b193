// Shared pieces of the search endpoints: ORDER BY rendering and paging.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/page.h"
#include "meta/filter_sql.h"
#include "store/meta_store.h"

namespace kiln::meta {

inline constexpr int64_t kMaxResultsLimit = 50000;

// 1 <= max_results <= limit. Errors: kInvalidArgument naming the value and the limit.
Status ValidateMaxResults(int64_t max_results, int64_t limit = kMaxResultsLimit);

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
                                   int64_t max_results_limit = kMaxResultsLimit);

}  // namespace kiln::meta
