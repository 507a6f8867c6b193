// TrackingService::SearchRuns: MLflow's filter grammar and order_by over runs.
#include "tracking/run_rows.h"
#include "tracking/run_search_page.h"
#include "tracking/run_search_sql.h"
#include "tracking/tracking_service.h"
#include "tracking/view_condition.h"

namespace kiln::tracking {
namespace {

// `r.run_id [NOT] IN (SELECT run_id FROM table WHERE key = ? [AND condition])`.
Result<SqlCondition> KeyedSubquery(const char* table, const char* value_column,
                                   const FilterClause& clause, bool numeric) {
  const std::string prefix = std::string("SELECT x.run_id FROM ") + table + " x WHERE x.key = ?";
  if (clause.op == Comparator::kIsNull || clause.op == Comparator::kIsNotNull) {
    const char* in = clause.op == Comparator::kIsNull ? "r.run_id NOT IN (" : "r.run_id IN (";
    return SqlCondition{in + prefix + ")", {clause.key}};
  }
  const std::string column = std::string("x.") + value_column;
  KILN_ASSIGN_OR_RETURN(SqlCondition c,
                        numeric ? CompareNumber(column, clause) : CompareText(column, clause));
  // NaN is stored as NULL, so the comparison itself leaves it out and the covering index
  // (key, value, run_id) answers the subquery alone.
  c.sql = "r.run_id IN (" + prefix + " AND " + c.sql + ")";
  c.args.insert(c.args.begin(), clause.key);
  return c;
}

Result<SqlCondition> AttributeCondition(const FilterClause& clause) {
  const std::string& key = clause.key;
  if (key == "start_time" || key == "created" || key == "Created") {
    return CompareNumber("r.start_time", clause);
  }
  if (key == "end_time") return CompareNumber("r.end_time", clause);
  if (key == "run_id" || key == "run_uuid") return CompareText("r.run_id", clause);
  if (key == "run_name" || key == "run name" || key == "Run name")
    return CompareText("r.name", clause);
  for (const char* text_key : {"status", "user_id", "artifact_uri", "lifecycle_stage"}) {
    if (key == text_key) return CompareText("r." + key, clause);
  }
  return FilterError(clause, "invalid attribute key '" + key +
                                 "' (expected run_id, run_name, status, user_id, artifact_uri, "
                                 "start_time or end_time)");
}

// A LIKE pattern matching input tags (encoded "key\x1fvalue\x1e...", see run_rows.h) that
// hold mlflow.data.context = `value`; `exact` escapes LIKE wildcards in `value`.
std::string ContextPattern(const std::string& value, bool exact) {
  std::string out = "%mlflow.data.context\x1f";
  for (char c : value) {
    if (exact && (c == '%' || c == '_' || c == '\\')) out += '\\';
    out += c;
  }
  return out + "\x1e%";
}

// The context is one input tag, so it is matched inside the tag encoding; the negated
// comparators select inputs whose context is not among the values.
Result<SqlCondition> ContextCondition(const FilterClause& clause) {
  KILN_RETURN_IF_ERROR(CompareText("x.tags_json", clause).status());  // checks op and value
  const char* exact = "x.tags_json LIKE ? ESCAPE '\\'";
  SqlCondition c;
  switch (clause.op) {
    case Comparator::kEq:
    case Comparator::kNe:
      c = {exact, {ContextPattern(clause.value.text, true)}};
      break;
    case Comparator::kIn:
    case Comparator::kNotIn:
      for (const std::string& item : clause.value.items) {
        c.sql += std::string(c.args.empty() ? "" : " OR ") + exact;
        c.args.emplace_back(ContextPattern(item, true));
      }
      break;
    case Comparator::kLike:
      c = {"x.tags_json LIKE ?", {ContextPattern(clause.value.text, false)}};
      break;
    case Comparator::kILike:
      c = {"LOWER(x.tags_json) LIKE LOWER(?)", {ContextPattern(clause.value.text, false)}};
      break;
    default:
      return FilterError(clause, std::string("comparator ") + ComparatorText(clause.op) +
                                     " is not supported for datasets.context");
  }
  const bool negated = clause.op == Comparator::kNe || clause.op == Comparator::kNotIn;
  c.sql = (negated ? "NOT (" : "(") + c.sql + ")";
  return c;
}

Result<SqlCondition> DatasetCondition(const FilterClause& clause) {
  SqlCondition c;
  if (clause.key == "name") {
    KILN_ASSIGN_OR_RETURN(c, CompareText("x.name", clause));
  } else if (clause.key == "digest") {
    KILN_ASSIGN_OR_RETURN(c, CompareText("x.digest", clause));
  } else if (clause.key == "context") {
    KILN_ASSIGN_OR_RETURN(c, ContextCondition(clause));
  } else {
    return FilterError(
        clause, "invalid dataset key '" + clause.key + "' (expected name, digest or context)");
  }
  c.sql = "r.run_id IN (SELECT x.run_id FROM run_inputs x WHERE " + c.sql + ")";
  return c;
}

Result<SqlCondition> RunCondition(const FilterClause& clause) {
  switch (clause.entity) {
    case FilterEntity::kMetric:
      return KeyedSubquery("latest_metrics", "value", clause, true);
    case FilterEntity::kParam:
      return KeyedSubquery("params", "value", clause, false);
    case FilterEntity::kTag:
      return KeyedSubquery("tags", "value", clause, false);
    case FilterEntity::kDataset:
      return DatasetCondition(clause);
    case FilterEntity::kAttribute:
      return AttributeCondition(clause);
  }
  return FilterError(clause, "unsupported identifier");
}

Result<std::string> AttributeOrderColumn(const std::string& key) {
  if (key == "start_time" || key == "created") return std::string("r.start_time");
  if (key == "run_name" || key == "run name") return std::string("r.name");
  for (const char* k :
       {"end_time", "run_id", "status", "user_id", "artifact_uri", "experiment_id"}) {
    if (key == k) return "r." + key;
  }
  return InvalidArgument("invalid order_by attribute '" + key + "'");
}

// One ORDER BY item over runs. Metrics, params and tags are LEFT JOINed once each (alias
// o<index>) so that sorting reads a column instead of running subqueries per run.
Result<RunOrder> RunOrderTerm(const std::string& text, size_t index) {
  KILN_ASSIGN_OR_RETURN(OrderByClause clause, ParseOrderBy(text));
  const std::string direction = clause.ascending ? " ASC" : " DESC";
  const char* table = nullptr;
  switch (clause.entity) {
    case FilterEntity::kMetric:
      table = "latest_metrics";
      break;
    case FilterEntity::kParam:
      table = "params";
      break;
    case FilterEntity::kTag:
      table = "tags";
      break;
    case FilterEntity::kAttribute: {
      KILN_ASSIGN_OR_RETURN(std::string column, AttributeOrderColumn(clause.key));
      return RunOrder{clause, "", {}, {column + " IS NULL, " + column + direction, {}}};
    }
    default:
      return InvalidArgument("invalid order_by '" + text + "': cannot order by datasets");
  }
  const std::string alias = "o" + std::to_string(index);
  // Runs without the value sort last in either direction, as in MLflow.
  return RunOrder{clause,
                  " LEFT JOIN " + std::string(table) + " " + alias + " ON " + alias +
                      ".run_id = r.run_id AND " + alias + ".key = ?",
                  {clause.key},
                  {alias + ".value IS NULL, " + alias + ".value" + direction, {}}};
}

Result<std::vector<store::Value>> ExperimentIdValues(const std::vector<std::string>& ids) {
  std::vector<store::Value> out;
  for (const std::string& id : ids) {
    auto parsed = ParseExperimentId(id);
    if (!parsed.ok())
      return InvalidArgument("Invalid experiment id '" + id + "' in experiment_ids");
    out.emplace_back(*parsed);
  }
  return out;
}

}  // namespace

Result<RunSearchSql> BuildRunSearchSql(const RunQuery& query) {
  KILN_RETURN_IF_ERROR(CheckOrderByCount(query.order_by.size()));
  KILN_RETURN_IF_ERROR(CheckSearchIdCount("experiment_ids", query.experiment_ids.size()));
  RunSearchSql out;
  KILN_ASSIGN_OR_RETURN(out.clauses, ParseFilter(query.filter));
  out.scope.push_back({ViewCondition("r.lifecycle_stage", query.view), {}});
  if (!query.experiment_ids.empty()) {
    KILN_ASSIGN_OR_RETURN(std::vector<store::Value> ids, ExperimentIdValues(query.experiment_ids));
    std::string marks;
    for (size_t i = 0; i < ids.size(); ++i) marks += i ? ",?" : "?";
    out.scope.push_back({"r.experiment_id IN (" + marks + ")", ids});
  }
  for (const FilterClause& clause : out.clauses) {
    KILN_ASSIGN_OR_RETURN(SqlCondition c, RunCondition(clause));
    out.filters.push_back(std::move(c));
  }
  for (size_t i = 0; i < query.order_by.size(); ++i) {
    KILN_ASSIGN_OR_RETURN(RunOrder order, RunOrderTerm(query.order_by[i], i));
    out.orders.push_back(std::move(order));
  }
  return out;
}

SqlCondition RenderRunSearch(const RunSearchSql& sql) {
  std::vector<OrderTerm> terms;
  SqlCondition joins{"", {}};
  for (const RunOrder& order : sql.orders) {
    joins.sql += order.join;
    joins.args.insert(joins.args.end(), order.join_args.begin(), order.join_args.end());
    terms.push_back(order.term);
  }
  if (sql.orders.empty()) terms.push_back({"r.start_time DESC", {}});
  terms.push_back({"r.run_id ASC", {}});
  std::vector<SqlCondition> conditions = sql.scope;
  conditions.insert(conditions.end(), sql.filters.begin(), sql.filters.end());
  SqlCondition where = JoinConditions(conditions);
  SqlCondition order = RenderOrderBy(terms);
  SqlCondition out{std::string("SELECT ") + kRunColumns + " FROM runs r" + joins.sql + " WHERE " +
                       where.sql + order.sql,
                   joins.args};
  out.args.insert(out.args.end(), where.args.begin(), where.args.end());
  out.args.insert(out.args.end(), order.args.begin(), order.args.end());
  return out;
}

Result<Page<Run>> TrackingService::SearchRuns(const RunQuery& query) {
  KILN_ASSIGN_OR_RETURN(RunSearchSql sql, BuildRunSearchSql(query));
  Page<Run> out;
  KILN_RETURN_IF_ERROR(store_.Read([&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(Page<store::Row> page,
                          ReadRunSearchPage(s, sql, query.max_results, query.page_token));
    out.next_page_token = page.next_page_token;
    for (const store::Row& row : page.items) {
      Run run;
      run.info = RunInfoFromRow(row);
      KILN_RETURN_IF_ERROR(LoadRunData(s, run));
      out.items.push_back(std::move(run));
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace kiln::tracking
