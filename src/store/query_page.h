// One page of a SELECT: the store-level half of every paged list (runs, pipelines, searches).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/page.h"
#include "store/meta_store.h"

namespace kiln::store {

// Runs `sql` (a SELECT with its ORDER BY, without LIMIT) for the page at `page_token` with at
// most `max_results` (> 0) rows; fetches one extra row to know whether a next page exists.
// Errors: kInvalidArgument for a bad token, kInternal from the store.
Result<Page<Row>> QueryPage(Session& session, const std::string& sql,
                            const std::vector<Value>& args, int64_t max_results,
                            const std::string& page_token);

}  // namespace kiln::store
