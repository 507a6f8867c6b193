// check: a table's schema and expectations (required columns, types, value ranges, allowed
// values, missing-value share). Every violation is listed; any violation fails the step.
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "ml/builtin_impls.h"
#include "ml/table_file.h"
#include "ml/table_rows.h"

namespace kiln::ml {
namespace {

using nlohmann::json;

// "col:rule" -> {col, rule}. Errors name the param and the entry.
Result<std::pair<std::string, std::string>> SplitRule(const std::string& param,
                                                      const std::string& entry) {
  const size_t colon = entry.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == entry.size()) {
    return InvalidArgument("param '" + param + "': expected COLUMN:RULE, got '" + entry + "'");
  }
  return std::make_pair(entry.substr(0, colon), entry.substr(colon + 1));
}

bool ParseDouble(const std::string& text, double* out) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

double NumericCell(const Column& c, size_t row) {
  if (c.type() == ColumnType::kFloat64) return c.doubles()[row];
  if (c.type() == ColumnType::kInt64) return static_cast<double>(c.ints()[row]);
  return c.bools()[row];
}

class Checker {
 public:
  explicit Checker(const Table& table) : table_(table) {}

  void Required(const std::string& name) {
    if (!table_.Find(name).ok()) problems_.push_back("column '" + name + "' is missing");
  }

  Status Type(const std::string& name, std::string type) {
    if (type == "int") type = "int64";
    if (type == "float") type = "float64";
    if (type != "int64" && type != "float64" && type != "bool" && type != "string") {
      return InvalidArgument("param 'types': unknown type '" + type + "' for column '" + name +
                             "' (expected int, float, bool or string)");
    }
    const Column* c = Find(name);
    if (c != nullptr && type != ColumnTypeName(c->type())) {
      problems_.push_back("column '" + name + "' is " + ColumnTypeName(c->type()) + ", expected " +
                          type);
    }
    return Status::Ok();
  }

  Status Range(const std::string& name, const std::string& range) {
    const size_t dots = range.find("..");
    double lo = -std::numeric_limits<double>::infinity(), hi = -lo;
    if (dots == std::string::npos || (dots > 0 && !ParseDouble(range.substr(0, dots), &lo)) ||
        (dots + 2 < range.size() && !ParseDouble(range.substr(dots + 2), &hi))) {
      return InvalidArgument("param 'ranges': expected COLUMN:MIN..MAX, got '" + name + ":" +
                             range + "'");
    }
    const Column* c = Find(name);
    if (c == nullptr) return Status::Ok();
    if (c->type() == ColumnType::kString) {
      problems_.push_back("column '" + name + "' holds strings: no range check");
      return Status::Ok();
    }
    size_t bad = 0, first = 0;
    for (size_t r = 0; r < c->size(); ++r) {
      if (!c->IsValid(r)) continue;
      const double v = NumericCell(*c, r);
      if (v < lo || v > hi) {
        if (bad++ == 0) first = r;
      }
    }
    if (bad > 0) {
      problems_.push_back("column '" + name + "': " + std::to_string(bad) + " value(s) outside " +
                          range + " (first at row " + std::to_string(first) + ": " +
                          CellText(*c, first) + ")");
    }
    return Status::Ok();
  }

  void Allowed(const std::string& name, const std::string& values) {
    std::set<std::string> allowed;
    std::stringstream in(values);
    for (std::string v; std::getline(in, v, '|');) allowed.insert(v);
    const Column* c = Find(name);
    if (c == nullptr) return;
    for (size_t r = 0; r < c->size(); ++r) {
      if (c->IsValid(r) && !allowed.count(CellText(*c, r))) {
        problems_.push_back("column '" + name + "' row " + std::to_string(r) + ": '" +
                            CellText(*c, r) + "' is not one of " + values);
        return;  // the first one is enough to fix the data
      }
    }
  }

  void NullShare(const Column& c, double max_share) {
    if (c.size() == 0) return;
    const double share = static_cast<double>(c.NullCount()) / static_cast<double>(c.size());
    if (share > max_share) {
      std::ostringstream text;
      text << "column '" << c.name() << "' is " << share * 100 << "% missing (at most "
           << max_share * 100 << "% allowed)";
      problems_.push_back(text.str());
    }
  }

  const std::vector<std::string>& problems() const { return problems_; }

 private:
  const Column* Find(const std::string& name) {
    Result<const Column*> c = table_.Find(name);
    if (c.ok()) return *c;
    problems_.push_back("column '" + name + "' is missing");
    return nullptr;
  }

  const Table& table_;
  std::vector<std::string> problems_;
};

Status RunChecks(const BuiltinStep& step, const Table& table, Checker& checker) {
  KILN_ASSIGN_OR_RETURN(std::vector<std::string> required, step.StringList("required"));
  for (const std::string& name : required) checker.Required(name);
  KILN_ASSIGN_OR_RETURN(std::vector<std::string> types, step.StringList("types"));
  for (const std::string& entry : types) {
    KILN_ASSIGN_OR_RETURN(auto rule, SplitRule("types", entry));
    KILN_RETURN_IF_ERROR(checker.Type(rule.first, rule.second));
  }
  KILN_ASSIGN_OR_RETURN(std::vector<std::string> ranges, step.StringList("ranges"));
  for (const std::string& entry : ranges) {
    KILN_ASSIGN_OR_RETURN(auto rule, SplitRule("ranges", entry));
    KILN_RETURN_IF_ERROR(checker.Range(rule.first, rule.second));
  }
  KILN_ASSIGN_OR_RETURN(std::vector<std::string> allowed, step.StringList("allowed"));
  for (const std::string& entry : allowed) {
    KILN_ASSIGN_OR_RETURN(auto rule, SplitRule("allowed", entry));
    checker.Allowed(rule.first, rule.second);
  }
  KILN_ASSIGN_OR_RETURN(double max_null, step.Float("max_null_fraction"));
  for (const Column& c : table.columns()) checker.NullShare(c, max_null);
  return Status::Ok();
}

}  // namespace

Status RunCheck(const BuiltinStep& step) {
  KILN_ASSIGN_OR_RETURN(std::string input, step.Input("table"));
  KILN_ASSIGN_OR_RETURN(Table table, ReadTable(input));
  Checker checker(table);
  KILN_RETURN_IF_ERROR(RunChecks(step, table, checker));
  const auto& problems = checker.problems();
  KILN_RETURN_IF_ERROR(step.LogMetric("problems", static_cast<double>(problems.size())));
  if (!problems.empty()) {
    std::string report =
        step.InputLabel("table") + " failed " + std::to_string(problems.size()) + " check(s):";
    for (const std::string& p : problems) report += "\n  - " + p;
    return InvalidArgument(report);
  }
  KILN_ASSIGN_OR_RETURN(std::string output, step.Output("table"));
  return WriteTable(table, output);
}

}  // namespace kiln::ml
