#include "tracking/run_search_page.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "tracking/run_rows.h"
#include "tracking/validation.h"

namespace kiln::tracking {
namespace {

using store::Rows;

// Pages starting further than this are read by the general statement, which keeps the
// window arithmetic far from overflow.
constexpr int64_t kMaxWalkOffset = int64_t{1} << 40;

Result<Rows> QueryRange(store::Session& session, const SqlCondition& sql, int64_t limit,
                        int64_t offset) {
  std::vector<store::Value> args = sql.args;
  args.emplace_back(limit);
  args.emplace_back(offset);
  return session.Query(sql.sql + " LIMIT ? OFFSET ?", args);
}

// The conditions of a walk over the first order key's metric (latest_metrics o0 JOIN runs r).
// Filter clauses comparing that metric are moved onto o0.value, where they bound the index
// range instead of building a list of run ids; the other filters and the scope stay on r.
struct WalkConditions {
  std::string key;  // the ordered metric
  bool ascending = true;
  std::vector<SqlCondition> on_value;
  std::vector<SqlCondition> on_run;
  bool value_required = false;  // a clause compares the metric: runs without a value never match
};

Result<WalkConditions> SplitConditions(const RunSearchSql& sql) {
  const OrderByClause& first = sql.orders.front().clause;
  WalkConditions out{first.key, first.ascending, {}, sql.scope, false};
  for (size_t i = 0; i < sql.clauses.size(); ++i) {
    const FilterClause& clause = sql.clauses[i];
    const bool comparison = clause.op != Comparator::kIsNull && clause.op != Comparator::kIsNotNull;
    if (clause.entity == FilterEntity::kMetric && clause.key == first.key && comparison) {
      // The same comparison as the clause's subquery makes on the same latest_metrics row.
      KILN_ASSIGN_OR_RETURN(SqlCondition c, CompareNumber("o0.value", clause));
      out.on_value.push_back(std::move(c));
      out.value_required = true;
    } else {
      out.on_run.push_back(sql.filters[i]);
    }
  }
  return out;
}

const char* Direction(const WalkConditions& w) { return w.ascending ? " ASC" : " DESC"; }

// The metric's entries that may be walked: those with a value, within the clauses on it.
std::vector<SqlCondition> ValueRange(const WalkConditions& w) {
  std::vector<SqlCondition> out{{"o0.key = ?", {w.key}}, {"o0.value IS NOT NULL", {}}};
  out.insert(out.end(), w.on_value.begin(), w.on_value.end());
  return out;
}

// The value of the window's last entry, or nullopt when the metric has fewer entries than
// `window` in its range (the window is then all of them).
Result<std::optional<double>> WindowEdge(store::Session& session, const WalkConditions& w,
                                         int64_t window) {
  SqlCondition range = JoinConditions(ValueRange(w));
  range.args.emplace_back(window - 1);
  KILN_ASSIGN_OR_RETURN(Rows rows,
                        session.Query("SELECT o0.value FROM latest_metrics o0 WHERE " + range.sql +
                                          " ORDER BY o0.value" + Direction(w) + " LIMIT 1 OFFSET ?",
                                      range.args));
  if (rows.empty()) return std::optional<double>();
  return std::optional<double>(rows.front().Real(0));
}

// The LEFT JOINs and ORDER BY terms of the order_by items after the first, then run_id.
struct OrderTail {
  SqlCondition joins{"", {}};
  std::vector<OrderTerm> terms;
};

OrderTail TailOfOrder(const RunSearchSql& sql) {
  OrderTail out;
  for (size_t i = 1; i < sql.orders.size(); ++i) {
    const RunOrder& order = sql.orders[i];
    out.joins.sql += order.join;
    out.joins.args.insert(out.joins.args.end(), order.join_args.begin(), order.join_args.end());
    out.terms.push_back(order.term);
  }
  out.terms.push_back({"r.run_id ASC", {}});
  return out;
}

// SELECT head + joins + WHERE conditions + ORDER BY terms, arguments in text order.
SqlCondition Statement(const std::string& head, const SqlCondition& joins,
                       const std::vector<SqlCondition>& conditions,
                       const std::vector<OrderTerm>& terms) {
  const SqlCondition where = JoinConditions(conditions);
  const SqlCondition order = RenderOrderBy(terms);
  SqlCondition out{head + joins.sql + " WHERE " + where.sql + order.sql, joins.args};
  out.args.insert(out.args.end(), where.args.begin(), where.args.end());
  out.args.insert(out.args.end(), order.args.begin(), order.args.end());
  return out;
}

constexpr const char* kWalkFrom = " FROM latest_metrics o0 JOIN runs r ON r.run_id = o0.run_id";

std::vector<SqlCondition> WalkWhere(const WalkConditions& w, std::optional<double> edge) {
  std::vector<SqlCondition> out = ValueRange(w);
  if (edge) out.push_back({std::string("o0.value ") + (w.ascending ? "<=" : ">=") + " ?", {*edge}});
  out.insert(out.end(), w.on_run.begin(), w.on_run.end());
  return out;
}

// The matching runs that have a value, in the general statement's order: by the value, then
// by the other order_by items and run_id. Up to the window's edge when there is one.
SqlCondition WalkStatement(const RunSearchSql& sql, const WalkConditions& w,
                           std::optional<double> edge) {
  OrderTail tail = TailOfOrder(sql);
  tail.terms.insert(tail.terms.begin(), {std::string("o0.value") + Direction(w), {}});
  return Statement(std::string("SELECT ") + kRunColumns + kWalkFrom, tail.joins, WalkWhere(w, edge),
                   tail.terms);
}

Result<int64_t> CountWithValue(store::Session& session, const WalkConditions& w) {
  const SqlCondition sql =
      Statement(std::string("SELECT COUNT(*)") + kWalkFrom, {"", {}}, WalkWhere(w, {}), {});
  KILN_ASSIGN_OR_RETURN(Rows rows, session.Query(sql.sql, sql.args));
  return rows.front().Int(0);
}

// The matching runs without a value for the first order key (no entry, or NaN stored as
// NULL), by the other order_by items and run_id: they sort after every run with a value.
SqlCondition WithoutValueStatement(const RunSearchSql& sql) {
  const RunOrder& first = sql.orders.front();
  OrderTail tail = TailOfOrder(sql);
  SqlCondition joins{first.join + tail.joins.sql, first.join_args};
  joins.args.insert(joins.args.end(), tail.joins.args.begin(), tail.joins.args.end());
  std::vector<SqlCondition> conditions = sql.scope;
  conditions.insert(conditions.end(), sql.filters.begin(), sql.filters.end());
  conditions.push_back({"o0.value IS NULL", {}});
  return Statement(std::string("SELECT ") + kRunColumns + " FROM runs r", joins, conditions,
                   tail.terms);
}

// Rows [offset, offset + limit) of the general statement's order through the metric walk, or
// nullopt when the first order key is not a metric or the window holds too few matches.
Result<std::optional<Rows>> ReadByMetricWalk(store::Session& session, const RunSearchSql& sql,
                                             int64_t offset, int64_t limit,
                                             const MetricWalkBudget& budget,
                                             RunSearchTrace& trace) {
  if (sql.orders.empty() || sql.orders.front().clause.entity != FilterEntity::kMetric ||
      offset > kMaxWalkOffset) {
    return std::optional<Rows>();
  }
  KILN_ASSIGN_OR_RETURN(WalkConditions w, SplitConditions(sql));
  const int64_t needed = offset + limit;
  const int64_t window = std::max({budget.minimum, budget.factor * needed, needed});
  KILN_ASSIGN_OR_RETURN(std::optional<double> edge, WindowEdge(session, w, window));
  KILN_ASSIGN_OR_RETURN(Rows rows, QueryRange(session, WalkStatement(sql, w, edge), limit, offset));
  ++trace.walks;
  const int64_t found = static_cast<int64_t>(rows.size());
  // Every run with a value outside the window sorts after every run inside it, so the
  // window's rows are the start of the full order.
  if (found == limit) return std::optional<Rows>(std::move(rows));
  if (edge) {  // too few matches near the top: sort instead
    ++trace.walks_too_short;
    return std::optional<Rows>();
  }
  if (w.value_required) return std::optional<Rows>(std::move(rows));
  // Every run with a value has been walked; the runs without one follow them.
  int64_t with_value = offset + found;
  if (found == 0 && offset > 0) {
    KILN_ASSIGN_OR_RETURN(with_value, CountWithValue(session, w));
  }
  ++trace.without_value;
  KILN_ASSIGN_OR_RETURN(Rows rest, QueryRange(session, WithoutValueStatement(sql), limit - found,
                                              offset + found - with_value));
  for (store::Row& row : rest) rows.push_back(std::move(row));
  return std::optional<Rows>(std::move(rows));
}

}  // namespace

Result<Page<store::Row>> ReadRunSearchPage(store::Session& session, const RunSearchSql& sql,
                                           int64_t max_results, const std::string& page_token,
                                           const MetricWalkBudget& budget, RunSearchTrace* trace) {
  RunSearchTrace ignored;
  RunSearchTrace& counts = trace ? *trace : ignored;
  KILN_RETURN_IF_ERROR(ValidateMaxResults(max_results));
  KILN_ASSIGN_OR_RETURN(int64_t offset, DecodePageToken(page_token));
  KILN_ASSIGN_OR_RETURN(std::optional<Rows> rows,
                        ReadByMetricWalk(session, sql, offset, max_results + 1, budget, counts));
  if (!rows) {
    ++counts.general;
    KILN_ASSIGN_OR_RETURN(rows, QueryRange(session, RenderRunSearch(sql), max_results + 1, offset));
  }
  Page<store::Row> page;
  if (static_cast<int64_t>(rows->size()) > max_results) {
    rows->pop_back();
    page.next_page_token = EncodePageToken(offset + max_results);
  }
  page.items = std::move(*rows);
  return page;
}

}  // namespace kiln::tracking
