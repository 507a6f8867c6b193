// Paged results and the opaque page tokens the search endpoints hand out.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace kiln {

// The arguments every search shares: an MLflow filter, order_by items and a page.
struct SearchRequest {
  std::string filter;
  std::vector<std::string> order_by;
  int64_t max_results = 1000;
  std::string page_token;
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_page_token;  // empty on the last page
};

// The token for the page that starts at `offset`.
std::string EncodePageToken(int64_t offset);
// The offset encoded in `token`; "" means 0. Errors: kInvalidArgument naming the token.
Result<int64_t> DecodePageToken(const std::string& token);

}  // namespace kiln
