// Translation of parsed filter clauses into SQL conditions with bound arguments.
// Shared by run, experiment and registry searches. Pure functions.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "meta/search_filter.h"
#include "store/meta_store.h"

namespace kiln::meta {

// A SQL condition and its arguments, appended to a WHERE clause with AND.
struct SqlCondition {
  std::string sql;
  std::vector<store::Value> args;
};

// `column <op> value` for a text column: =, !=, LIKE, ILIKE, IN, NOT IN, IS [NOT] NULL.
// Errors: kInvalidArgument naming the clause and position when op or value does not fit.
Result<SqlCondition> CompareText(const std::string& column, const FilterClause& clause);
// `column <op> number`: =, !=, <, <=, >, >=. Errors as CompareText.
Result<SqlCondition> CompareNumber(const std::string& column, const FilterClause& clause);
// "metrics.acc" style name of the clause's identifier, for messages.
std::string ClauseName(const FilterClause& clause);
// "invalid filter at position N: <detail>".
Status FilterError(const FilterClause& clause, const std::string& detail);

// Conditions joined with AND ("1=1" when empty), arguments concatenated.
SqlCondition JoinConditions(const std::vector<SqlCondition>& conditions);

}  // namespace kiln::meta
