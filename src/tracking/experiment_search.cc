// TrackingService::SearchExperiments: MLflow's filter and order_by over experiments.
#include "meta/filter_sql.h"
#include "meta/search_filter.h"
#include "meta/search_paging.h"
#include "tracking/run_rows.h"
#include "tracking/tracking_service.h"
#include "tracking/view_condition.h"

namespace kiln::tracking {
namespace {

using meta::CheckOrderByCount;
using meta::ClauseName;
using meta::Comparator;
using meta::CompareNumber;
using meta::CompareText;
using meta::FilterClause;
using meta::FilterEntity;
using meta::FilterError;
using meta::JoinConditions;
using meta::OrderByClause;
using meta::OrderTerm;
using meta::ParseFilter;
using meta::ParseOrderBy;
using meta::QueryPage;
using meta::RenderOrderBy;
using meta::SqlCondition;

Result<SqlCondition> ExperimentCondition(const FilterClause& clause) {
  if (clause.entity == FilterEntity::kTag) {
    const std::string subquery = "SELECT t.experiment_id FROM experiment_tags t WHERE t.key = ?";
    // Stored tag values are never NULL: IS NULL means "has no such tag".
    if (clause.op == Comparator::kIsNull) {
      return SqlCondition{"e.experiment_id NOT IN (" + subquery + ")", {clause.key}};
    }
    KILN_ASSIGN_OR_RETURN(SqlCondition c, CompareText("t.value", clause));
    c.sql = "e.experiment_id IN (" + subquery + " AND " + c.sql + ")";
    c.args.insert(c.args.begin(), clause.key);
    return c;
  }
  if (clause.entity != FilterEntity::kAttribute) {
    return FilterError(clause, "experiments can be filtered by attributes and tags only, not " +
                                   ClauseName(clause));
  }
  if (clause.key == "name") return CompareText("e.name", clause);
  if (clause.key == "creation_time") return CompareNumber("e.creation_time", clause);
  if (clause.key == "last_update_time") return CompareNumber("e.last_update_time", clause);
  return FilterError(clause, "invalid attribute key '" + clause.key +
                                 "' (expected name, creation_time or last_update_time)");
}

Result<OrderTerm> ExperimentOrderTerm(const std::string& text) {
  KILN_ASSIGN_OR_RETURN(OrderByClause clause, ParseOrderBy(text));
  const char* direction = clause.ascending ? " ASC" : " DESC";
  if (clause.entity == FilterEntity::kAttribute) {
    for (const char* key : {"name", "experiment_id", "creation_time", "last_update_time"}) {
      if (clause.key == key) return OrderTerm{"e." + clause.key + direction, {}};
    }
  }
  return InvalidArgument("invalid order_by '" + text +
                         "': experiments can be ordered by name, experiment_id, creation_time "
                         "or last_update_time");
}

Result<SqlCondition> BuildExperimentQuery(const ExperimentQuery& query) {
  KILN_RETURN_IF_ERROR(CheckOrderByCount(query.order_by.size()));
  KILN_ASSIGN_OR_RETURN(std::vector<FilterClause> clauses, ParseFilter(query.filter));
  std::vector<SqlCondition> conditions{{ViewCondition("e.lifecycle_stage", query.view), {}}};
  for (const FilterClause& clause : clauses) {
    KILN_ASSIGN_OR_RETURN(SqlCondition c, ExperimentCondition(clause));
    conditions.push_back(std::move(c));
  }
  std::vector<OrderTerm> terms;
  for (const std::string& text : query.order_by) {
    KILN_ASSIGN_OR_RETURN(OrderTerm term, ExperimentOrderTerm(text));
    terms.push_back(std::move(term));
  }
  if (query.order_by.empty()) terms.push_back({"e.creation_time DESC", {}});
  terms.push_back({"e.experiment_id ASC", {}});
  SqlCondition where = JoinConditions(conditions);
  SqlCondition order = RenderOrderBy(terms);
  SqlCondition out;
  out.sql = std::string("SELECT ") + kExperimentColumns + " FROM experiments e WHERE " + where.sql +
            order.sql;
  out.args = std::move(where.args);
  out.args.insert(out.args.end(), order.args.begin(), order.args.end());
  return out;
}

}  // namespace

Result<Page<Experiment>> TrackingService::SearchExperiments(const ExperimentQuery& query) {
  KILN_ASSIGN_OR_RETURN(SqlCondition sql, BuildExperimentQuery(query));
  Page<Experiment> out;
  KILN_RETURN_IF_ERROR(store_.Read([&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(Page<store::Row> page,
                          QueryPage(s, sql.sql, sql.args, query.max_results, query.page_token));
    out.next_page_token = page.next_page_token;
    for (const store::Row& row : page.items) {
      Experiment e = ExperimentFromRow(row);
      KILN_RETURN_IF_ERROR(LoadExperimentTags(s, e));
      out.items.push_back(std::move(e));
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace kiln::tracking
