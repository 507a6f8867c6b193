// filter-rows and join: choosing rows by conditions, and matching two tables on key columns.
#include <cstdlib>
#include <map>
#include <unordered_map>

#include "ml/builtin_impls.h"
#include "ml/table_file.h"
#include "ml/table_rows.h"

namespace kiln::ml {
namespace {

struct Condition {
  const Column* column = nullptr;
  std::string op;
  std::string text;   // the value as written
  double number = 0;  // the value, for numeric columns
};

double NumberAt(const Column& c, size_t row) {
  if (c.type() == ColumnType::kFloat64) return c.doubles()[row];
  if (c.type() == ColumnType::kInt64) return static_cast<double>(c.ints()[row]);
  return c.bools()[row];
}

Result<Condition> ParseCondition(const Table& table, const std::string& entry) {
  static const char* kOps[] = {"==", "!=", "<=", ">=", "<", ">"};
  for (const char* op : kOps) {
    const size_t at = entry.find(op);
    if (at == std::string::npos) continue;
    auto trim = [](std::string s) {
      s.erase(0, s.find_first_not_of(' '));
      s.erase(s.find_last_not_of(' ') + 1);
      return s;
    };
    Condition c;
    KILN_ASSIGN_OR_RETURN(c.column, table.Find(trim(entry.substr(0, at))));
    c.op = op;
    c.text = trim(entry.substr(at + std::string(op).size()));
    if (c.column->type() != ColumnType::kString) {
      char* end = nullptr;
      c.number = c.text == "true" ? 1 : c.text == "false" ? 0 : std::strtod(c.text.c_str(), &end);
      if (c.text != "true" && c.text != "false" && (c.text.empty() || *end != '\0')) {
        return InvalidArgument("param 'where': '" + c.text + "' in '" + entry +
                               "' is not a number, and column '" + c.column->name() +
                               "' is numeric");
      }
    }
    return c;
  }
  return InvalidArgument(
      "param 'where': expected COLUMN OP VALUE (OP one of == != < <= > >=), "
      "got '" +
      entry + "'");
}

bool Holds(const Condition& c, size_t row) {
  if (!c.column->IsValid(row)) return false;
  int cmp;
  if (c.column->type() == ColumnType::kString) {
    const int raw = c.column->strings()[row].compare(c.text);
    cmp = raw < 0 ? -1 : raw > 0 ? 1 : 0;
  } else {
    const double v = NumberAt(*c.column, row);
    cmp = v < c.number ? -1 : v > c.number ? 1 : 0;
  }
  if (c.op == "==") return cmp == 0;
  if (c.op == "!=") return cmp != 0;
  if (c.op == "<") return cmp < 0;
  if (c.op == "<=") return cmp <= 0;
  if (c.op == ">") return cmp > 0;
  return cmp >= 0;
}

std::string KeyOf(const std::vector<const Column*>& keys, size_t row, bool* missing) {
  std::string key;
  for (const Column* c : keys) {
    if (!c->IsValid(row)) *missing = true;
    key += CellText(*c, row);
    key += '\x1f';
  }
  return key;
}

}  // namespace

Status RunFilterRows(const BuiltinStep& step) {
  KILN_ASSIGN_OR_RETURN(std::string input, step.Input("table"));
  KILN_ASSIGN_OR_RETURN(Table table, ReadTable(input));
  KILN_ASSIGN_OR_RETURN(std::vector<std::string> where, step.StringList("where"));
  if (where.empty()) return InvalidArgument("param 'where' lists no condition");
  std::vector<Condition> conditions;
  for (const std::string& entry : where) {
    KILN_ASSIGN_OR_RETURN(Condition c, ParseCondition(table, entry));
    conditions.push_back(c);
  }
  std::vector<size_t> kept;
  for (size_t row = 0; row < table.num_rows(); ++row) {
    bool all = true;
    for (const Condition& c : conditions) all = all && Holds(c, row);
    if (all) kept.push_back(row);
  }
  KILN_ASSIGN_OR_RETURN(std::string output, step.Output("table"));
  KILN_RETURN_IF_ERROR(WriteTable(TakeRows(table, kept), output));
  return step.LogMetric("rows_kept", static_cast<double>(kept.size()));
}

Status RunJoin(const BuiltinStep& step) {
  KILN_ASSIGN_OR_RETURN(std::string left_path, step.Input("left"));
  KILN_ASSIGN_OR_RETURN(std::string right_path, step.Input("right"));
  KILN_ASSIGN_OR_RETURN(Table left, ReadTable(left_path));
  KILN_ASSIGN_OR_RETURN(Table right, ReadTable(right_path));
  KILN_ASSIGN_OR_RETURN(std::vector<std::string> on, step.StringList("on"));
  KILN_ASSIGN_OR_RETURN(std::string how, step.String("how"));
  if (on.empty()) return InvalidArgument("param 'on' lists no key column");
  std::vector<const Column*> left_keys, right_keys;
  for (const std::string& name : on) {
    KILN_ASSIGN_OR_RETURN(const Column* l, left.Find(name));
    KILN_ASSIGN_OR_RETURN(const Column* r, right.Find(name));
    left_keys.push_back(l);
    right_keys.push_back(r);
  }
  std::unordered_map<std::string, std::vector<size_t>> index;
  for (size_t row = 0; row < right.num_rows(); ++row) {
    bool missing = false;
    std::string key = KeyOf(right_keys, row, &missing);
    if (!missing) index[key].push_back(row);  // missing keys never match, as in SQL
  }
  std::vector<size_t> left_rows, right_rows;
  for (size_t row = 0; row < left.num_rows(); ++row) {
    bool missing = false;
    auto match = index.find(KeyOf(left_keys, row, &missing));
    if (!missing && match != index.end()) {
      for (size_t r : match->second) {
        left_rows.push_back(row);
        right_rows.push_back(r);
      }
    } else if (how == "left") {
      left_rows.push_back(row);
      right_rows.push_back(kNoRow);
    }
  }
  Table out = TakeRows(left, left_rows);
  Table matched = TakeRows(right, right_rows);
  for (Column column : matched.columns()) {
    bool is_key = false;
    for (const std::string& name : on) is_key = is_key || column.name() == name;
    if (is_key) continue;
    if (out.Find(column.name()).ok()) column.set_name(column.name() + "_right");
    KILN_RETURN_IF_ERROR(out.AddColumn(std::move(column)));
  }
  KILN_ASSIGN_OR_RETURN(std::string output, step.Output("table"));
  KILN_RETURN_IF_ERROR(WriteTable(out, output));
  return step.LogMetric("rows", static_cast<double>(out.num_rows()));
}

}  // namespace kiln::ml
