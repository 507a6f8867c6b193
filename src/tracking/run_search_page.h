// Reading one page of runs/search. Internal to tracking/.
//
// The general statement (RenderRunSearch) sorts every matching run, which for an order on a
// metric over 100,000 runs costs tens of milliseconds. When the first order_by item is a
// metric, the page is read instead by walking latest_metrics_by_key (key, value, run_id) in
// value order and joining runs, which stops once the page is full; the runs without a value
// for that metric (absent or NaN, stored as NULL) sort last and are read after them. The order,
// ties included, is exactly the general statement's, and page tokens are the same offsets.
#pragma once

#include <cstdint>
#include <string>

#include "common/page.h"
#include "store/meta_store.h"
#include "tracking/run_search_sql.h"

namespace kiln::tracking {

// How far the walk may go before the general statement is cheaper: the walk only looks at
// the first max(minimum, factor * (offset + max_results + 1)) index entries of the metric (the
// window, all ties of its last value included), so a filter or experiment scope that keeps
// fewer than about 1 in `factor` of the best runs falls back to the general statement after
// a bounded detour. Tests shrink it to exercise both shapes on small stores.
struct MetricWalkBudget {
  int64_t factor = 10;
  int64_t minimum = 1000;
};

// Which statements answered pages; counts add up over calls. For tests and profiling.
struct RunSearchTrace {
  int64_t general = 0;          // the general statement
  int64_t walks = 0;            // a walk over the first order key's metric
  int64_t walks_too_short = 0;  // walks whose window held too few matches (then general)
  int64_t without_value = 0;    // the runs without a value for that metric, after a walk
};

// The rows (kRunColumns) of the page of `sql` that starts at `page_token` (an offset token,
// common/page.h), at most `max_results` of them, and the next page's token when more follow.
// Errors: kInvalidArgument for max_results outside [1, kMaxResultsLimit] or a bad token,
// kInternal from the store.
Result<Page<store::Row>> ReadRunSearchPage(store::Session& session, const RunSearchSql& sql,
                                           int64_t max_results, const std::string& page_token,
                                           const MetricWalkBudget& budget = {},
                                           RunSearchTrace* trace = nullptr);

}  // namespace kiln::tracking
