#include "tracking/search_paging.h"

#include "store/query_page.h"
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
  return store::QueryPage(session, sql, args, max_results, page_token);
}

}  // namespace kiln::tracking
