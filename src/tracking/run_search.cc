// TrackingService::SearchRuns: MLflow's filter grammar and order_by over runs.
#include "tracking/run_rows.h"
#include "tracking/search_paging.h"
#include "tracking/tracking_service.h"

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
  std::string extra = numeric ? " AND x.is_nan = 0 AND " : " AND ";
  c.sql = "r.run_id IN (" + prefix + extra + c.sql + ")";
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

Result<OrderTerm> RunOrderTerm(const std::string& text) {
  KILN_ASSIGN_OR_RETURN(OrderByClause clause, ParseOrderBy(text));
  const std::string direction = clause.ascending ? " ASC" : " DESC";
  std::string expr;
  std::vector<store::Value> args;
  switch (clause.entity) {
    case FilterEntity::kMetric:
      expr = "(SELECT x.value FROM latest_metrics x WHERE ";
      break;
    case FilterEntity::kParam:
      expr = "(SELECT x.value FROM params x WHERE ";
      break;
    case FilterEntity::kTag:
      expr = "(SELECT x.value FROM tags x WHERE ";
      break;
    case FilterEntity::kAttribute: {
      KILN_ASSIGN_OR_RETURN(std::string column, AttributeOrderColumn(clause.key));
      return OrderTerm{column + " IS NULL, " + column + direction, {}};
    }
    default:
      return InvalidArgument("invalid order_by '" + text + "': cannot order by datasets");
  }
  expr += "x.run_id = r.run_id AND x.key = ?)";
  // Runs without the value sort last in either direction, as in MLflow.
  return OrderTerm{expr + " IS NULL, " + expr + direction, {clause.key, clause.key}};
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

Result<SqlCondition> BuildRunQuery(const RunQuery& query) {
  KILN_ASSIGN_OR_RETURN(std::vector<FilterClause> clauses, ParseFilter(query.filter));
  std::vector<SqlCondition> conditions{{ViewCondition("r.lifecycle_stage", query.view), {}}};
  if (!query.experiment_ids.empty()) {
    KILN_ASSIGN_OR_RETURN(std::vector<store::Value> ids, ExperimentIdValues(query.experiment_ids));
    std::string marks;
    for (size_t i = 0; i < ids.size(); ++i) marks += i ? ",?" : "?";
    conditions.push_back({"r.experiment_id IN (" + marks + ")", ids});
  }
  for (const FilterClause& clause : clauses) {
    KILN_ASSIGN_OR_RETURN(SqlCondition c, RunCondition(clause));
    conditions.push_back(std::move(c));
  }
  std::vector<OrderTerm> terms;
  for (const std::string& text : query.order_by) {
    KILN_ASSIGN_OR_RETURN(OrderTerm term, RunOrderTerm(text));
    terms.push_back(std::move(term));
  }
  if (query.order_by.empty()) terms.push_back({"r.start_time DESC", {}});
  terms.push_back({"r.run_id ASC", {}});
  SqlCondition where = JoinConditions(conditions);
  SqlCondition order = RenderOrderBy(terms);
  SqlCondition out{
      std::string("SELECT ") + kRunColumns + " FROM runs r WHERE " + where.sql + order.sql,
      where.args};
  out.args.insert(out.args.end(), order.args.begin(), order.args.end());
  return out;
}

}  // namespace

Result<Page<Run>> TrackingService::SearchRuns(const RunQuery& query) {
  KILN_ASSIGN_OR_RETURN(SqlCondition sql, BuildRunQuery(query));
  Page<Run> out;
  KILN_RETURN_IF_ERROR(store_.Read([&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(Page<store::Row> page,
                          QueryPage(s, sql.sql, sql.args, query.max_results, query.page_token));
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
