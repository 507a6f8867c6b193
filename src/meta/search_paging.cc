#include "meta/search_paging.h"

#include "store/query_page.h"

namespace kiln::meta {

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

Status ValidateMaxResults(int64_t max_results, int64_t limit) {
  if (max_results >= 1 && max_results <= limit) return Status::Ok();
  return InvalidArgument("Invalid value " + std::to_string(max_results) +
                         " for parameter 'max_results' supplied. It must be at most " +
                         std::to_string(limit) + " and at least 1");
}

}  // namespace kiln::meta
