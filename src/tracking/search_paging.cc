#include "tracking/search_paging.h"

#include "tracking/validation.h"

namespace kiln::tracking {

std::string ViewCondition(const std::string& column, ViewType view) {
  switch (view) {
    case ViewType::kActiveOnly:
      return column + " = 'active'";
    case ViewType::kDeletedOnly:
      return column + " = 'deleted'";
    case ViewType::kAll:
      return "1=1";
  }
  return "1=1";
}

SqlCondition RenderOrderBy(const std::vector<OrderTerm>& terms) {
  SqlCondition out{"", {}};
  for (const OrderTerm& term : terms) {
    out.sql += out.sql.empty() ? " ORDER BY " : ", ";
    out.sql += term.sql;
    out.args.insert(out.args.end(), term.args.begin(), term.args.end());
  }
  return out;
}

Result<Page<store::Row>> QueryPage(store::Session& session, const std::string& sql,
                                   const std::vector<store::Value>& args, int64_t max_results,
                                   const std::string& page_token, int64_t max_results_limit) {
  KILN_RETURN_IF_ERROR(ValidateMaxResults(max_results, max_results_limit));
  KILN_ASSIGN_OR_RETURN(int64_t offset, DecodePageToken(page_token));
  std::vector<store::Value> all = args;
  all.emplace_back(max_results + 1);
  all.emplace_back(offset);
  KILN_ASSIGN_OR_RETURN(store::Rows rows, session.Query(sql + " LIMIT ? OFFSET ?", all));
  Page<store::Row> page;
  if (static_cast<int64_t>(rows.size()) > max_results) {
    rows.pop_back();
    page.next_page_token = EncodePageToken(offset + max_results);
  }
  page.items = std::move(rows);
  return page;
}

}  // namespace kiln::tracking
