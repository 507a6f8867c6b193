#include "meta/filter_sql.h"

namespace kiln::meta {

std::string ClauseName(const FilterClause& clause) {
  switch (clause.entity) {
    case FilterEntity::kMetric:
      return "metrics." + clause.key;
    case FilterEntity::kParam:
      return "params." + clause.key;
    case FilterEntity::kTag:
      return "tags." + clause.key;
    case FilterEntity::kDataset:
      return "datasets." + clause.key;
    case FilterEntity::kAttribute:
      return clause.key;
  }
  return clause.key;
}

Status FilterError(const FilterClause& clause, const std::string& detail) {
  return InvalidArgument("invalid filter at position " + std::to_string(clause.position) + ": " +
                         detail);
}

namespace {

Result<SqlCondition> CompareList(const std::string& column, const FilterClause& clause) {
  if (clause.value.kind != FilterValue::Kind::kList || clause.value.items.empty()) {
    return FilterError(clause, std::string(ComparatorText(clause.op)) + " on " +
                                   ClauseName(clause) + " needs a non-empty list ('a', 'b')");
  }
  SqlCondition out;
  out.sql = column + (clause.op == Comparator::kIn ? " IN (" : " NOT IN (");
  for (size_t i = 0; i < clause.value.items.size(); ++i) {
    out.sql += i ? ",?" : "?";
    out.args.emplace_back(clause.value.items[i]);
  }
  out.sql += ")";
  return out;
}

}  // namespace

Result<SqlCondition> CompareText(const std::string& column, const FilterClause& clause) {
  switch (clause.op) {
    case Comparator::kIsNull:
      return SqlCondition{column + " IS NULL", {}};
    case Comparator::kIsNotNull:
      return SqlCondition{column + " IS NOT NULL", {}};
    case Comparator::kIn:
    case Comparator::kNotIn:
      return CompareList(column, clause);
    default:
      break;
  }
  if (clause.value.kind != FilterValue::Kind::kString) {
    return FilterError(clause, "expected a quoted string value for " + ClauseName(clause));
  }
  switch (clause.op) {
    case Comparator::kEq:
      return SqlCondition{column + " = ?", {clause.value.text}};
    case Comparator::kNe:
      return SqlCondition{column + " != ?", {clause.value.text}};
    case Comparator::kLike:
      return SqlCondition{column + " LIKE ?", {clause.value.text}};
    case Comparator::kILike:
      return SqlCondition{"LOWER(" + column + ") LIKE LOWER(?)", {clause.value.text}};
    default:
      return FilterError(clause, std::string("comparator ") + ComparatorText(clause.op) +
                                     " is not supported for " + ClauseName(clause) +
                                     " (use =, !=, LIKE, ILIKE, IN or NOT IN)");
  }
}

Result<SqlCondition> CompareNumber(const std::string& column, const FilterClause& clause) {
  if (clause.op == Comparator::kIsNull) return SqlCondition{column + " IS NULL", {}};
  if (clause.op == Comparator::kIsNotNull) return SqlCondition{column + " IS NOT NULL", {}};
  if (clause.value.kind != FilterValue::Kind::kNumber) {
    return FilterError(clause, "expected a numeric value for " + ClauseName(clause));
  }
  const char* op = nullptr;
  switch (clause.op) {
    case Comparator::kEq:
      op = " = ?";
      break;
    case Comparator::kNe:
      op = " != ?";
      break;
    case Comparator::kGt:
      op = " > ?";
      break;
    case Comparator::kGe:
      op = " >= ?";
      break;
    case Comparator::kLt:
      op = " < ?";
      break;
    case Comparator::kLe:
      op = " <= ?";
      break;
    default:
      return FilterError(clause, std::string("comparator ") + ComparatorText(clause.op) +
                                     " is not supported for " + ClauseName(clause) +
                                     " (use =, !=, <, <=, > or >=)");
  }
  return SqlCondition{column + op, {clause.value.number}};
}

SqlCondition JoinConditions(const std::vector<SqlCondition>& conditions) {
  SqlCondition out{"1=1", {}};
  for (const SqlCondition& c : conditions) {
    out.sql += " AND " + c.sql;
    out.args.insert(out.args.end(), c.args.begin(), c.args.end());
  }
  return out;
}

}  // namespace kiln::meta
