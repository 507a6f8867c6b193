// RegistryService: searching registered models and model versions with MLflow filters.
#include "meta/filter_sql.h"
#include "meta/search_paging.h"
#include "registry/registry_rows.h"
#include "registry/registry_service.h"

namespace kiln::registry {

using meta::FilterClause;
using meta::FilterEntity;
using meta::SqlCondition;

namespace {

// Stored tag values are never NULL, so "tags.k IS NULL" means "has no tag k".
bool IsNullTest(const FilterClause& c) { return c.op == meta::Comparator::kIsNull; }

Result<SqlCondition> TagCondition(const char* table, const char* owner, const FilterClause& c) {
  const std::string subquery = std::string("SELECT t.name FROM ") + table + " t WHERE t.key = ?";
  if (IsNullTest(c))
    return SqlCondition{std::string(owner) + " NOT IN (" + subquery + ")", {c.key}};
  KILN_ASSIGN_OR_RETURN(SqlCondition cond, meta::CompareText("t.value", c));
  cond.sql = std::string(owner) + " IN (" + subquery + " AND " + cond.sql + ")";
  cond.args.insert(cond.args.begin(), c.key);
  return cond;
}

Result<SqlCondition> ModelCondition(const FilterClause& c) {
  if (c.entity == FilterEntity::kTag) return TagCondition("registered_model_tags", "m.name", c);
  if (c.entity == FilterEntity::kAttribute && c.key == "name") {
    return meta::CompareText("m.name", c);
  }
  return meta::FilterError(c, "invalid identifier '" + meta::ClauseName(c) +
                                  "' for registered models (expected name or tags.<key>)");
}

Result<SqlCondition> VersionTagCondition(const FilterClause& c) {
  const std::string subquery =
      "SELECT 1 FROM model_version_tags t WHERE t.name = v.name AND t.version = v.version AND "
      "t.key = ?";
  if (IsNullTest(c)) return SqlCondition{"NOT EXISTS (" + subquery + ")", {c.key}};
  KILN_ASSIGN_OR_RETURN(SqlCondition cond, meta::CompareText("t.value", c));
  cond.sql = "EXISTS (" + subquery + " AND " + cond.sql + ")";
  cond.args.insert(cond.args.begin(), c.key);
  return cond;
}

Result<SqlCondition> VersionCondition(const FilterClause& c) {
  if (c.entity == FilterEntity::kTag) return VersionTagCondition(c);
  if (c.entity == FilterEntity::kAttribute) {
    if (c.key == "name") return meta::CompareText("v.name", c);
    if (c.key == "run_id") return meta::CompareText("v.run_id", c);
    if (c.key == "source_path") return meta::CompareText("v.source", c);
    if (c.key == "version_number") return meta::CompareNumber("v.version", c);
  }
  return meta::FilterError(c, "invalid identifier '" + meta::ClauseName(c) +
                                  "' for model versions (expected name, run_id, "
                                  "source_path, version_number or tags.<key>)");
}

// ORDER BY terms from `order_by` items whose attribute names map through `columns`.
Result<std::vector<meta::OrderTerm>> OrderTerms(
    const std::vector<std::string>& order_by,
    const std::vector<std::pair<std::string, std::string>>& columns) {
  KILN_RETURN_IF_ERROR(meta::CheckOrderByCount(order_by.size()));
  std::vector<meta::OrderTerm> terms;
  for (const std::string& text : order_by) {
    KILN_ASSIGN_OR_RETURN(meta::OrderByClause clause, meta::ParseOrderBy(text));
    std::string column;
    for (const auto& [key, sql] : columns) {
      if (clause.entity == FilterEntity::kAttribute && clause.key == key) column = sql;
    }
    if (column.empty()) return InvalidArgument("invalid order_by '" + text + "'");
    terms.push_back({column + (clause.ascending ? " ASC" : " DESC"), {}});
  }
  return terms;
}

Result<SqlCondition> BuildSearch(
    const std::string& select, const std::string& filter,
    const std::function<Result<SqlCondition>(const FilterClause&)>& to_sql,
    std::vector<meta::OrderTerm> terms) {
  KILN_ASSIGN_OR_RETURN(std::vector<FilterClause> clauses, meta::ParseFilter(filter));
  std::vector<SqlCondition> conditions;
  for (const FilterClause& clause : clauses) {
    KILN_ASSIGN_OR_RETURN(SqlCondition c, to_sql(clause));
    conditions.push_back(std::move(c));
  }
  SqlCondition where = meta::JoinConditions(conditions);
  SqlCondition order = meta::RenderOrderBy(terms);
  return SqlCondition{select + " WHERE " + where.sql + order.sql, where.args};
}

}  // namespace

Result<Page<RegisteredModel>> RegistryService::SearchRegisteredModels(const SearchQuery& query) {
  KILN_ASSIGN_OR_RETURN(
      std::vector<meta::OrderTerm> terms,
      OrderTerms(query.order_by, {{"name", "m.name"},
                                  {"timestamp", "m.last_updated_time"},
                                  {"last_updated_timestamp", "m.last_updated_time"},
                                  {"creation_timestamp", "m.creation_time"}}));
  terms.push_back({"m.name ASC", {}});
  KILN_ASSIGN_OR_RETURN(SqlCondition sql, BuildSearch("SELECT m.name FROM registered_models m",
                                                      query.filter, ModelCondition, terms));
  Page<RegisteredModel> out;
  KILN_RETURN_IF_ERROR(store_.Read([&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(
        Page<store::Row> page,
        meta::QueryPage(s, sql.sql, sql.args, query.max_results, query.page_token, 1000));
    out.next_page_token = page.next_page_token;
    for (const store::Row& row : page.items) {
      KILN_ASSIGN_OR_RETURN(RegisteredModel model, LoadModel(s, row.Text(0)));
      out.items.push_back(std::move(model));
    }
    return Status::Ok();
  }));
  return out;
}

Result<Page<ModelVersion>> RegistryService::SearchModelVersions(const SearchQuery& query) {
  KILN_ASSIGN_OR_RETURN(
      std::vector<meta::OrderTerm> terms,
      OrderTerms(query.order_by, {{"name", "v.name"},
                                  {"version_number", "v.version"},
                                  {"timestamp", "v.last_updated_time"},
                                  {"last_updated_timestamp", "v.last_updated_time"},
                                  {"creation_timestamp", "v.creation_time"}}));
  terms.push_back({"v.name ASC", {}});
  terms.push_back({"v.version DESC", {}});
  KILN_ASSIGN_OR_RETURN(SqlCondition sql, BuildSearch(std::string("SELECT ") + kVersionColumns +
                                                          " FROM model_versions v",
                                                      query.filter, VersionCondition, terms));
  Page<ModelVersion> out;
  KILN_RETURN_IF_ERROR(store_.Read([&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(
        Page<store::Row> page,
        meta::QueryPage(s, sql.sql, sql.args, query.max_results, query.page_token, 200000));
    out.next_page_token = page.next_page_token;
    for (const store::Row& row : page.items) {
      KILN_ASSIGN_OR_RETURN(ModelVersion v, VersionFromRow(s, row));
      out.items.push_back(std::move(v));
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace kiln::registry
