#include "store/query_page.h"

#include <utility>

namespace kiln::store {

Result<Page<Row>> QueryPage(Session& session, const std::string& sql,
                            const std::vector<Value>& args, int64_t max_results,
                            const std::string& page_token) {
  KILN_ASSIGN_OR_RETURN(int64_t offset, DecodePageToken(page_token));
  std::vector<Value> all = args;
  all.emplace_back(max_results + 1);
  all.emplace_back(offset);
  KILN_ASSIGN_OR_RETURN(Rows rows, session.Query(sql + " LIMIT ? OFFSET ?", all));
  Page<Row> page;
  if (static_cast<int64_t>(rows.size()) > max_results) {
    rows.pop_back();
    page.next_page_token = EncodePageToken(offset + max_results);
  }
  page.items = std::move(rows);
  return page;
}

}  // namespace kiln::store
