#include "serving/rows_json.h"

#include <cmath>
#include <unordered_map>

namespace kiln::serving {
namespace {

using nlohmann::json;

// Typed values of one signature column, filled row by row.
class ColumnFill {
 public:
  ColumnFill(std::string name, std::string type) : name_(std::move(name)), type_(std::move(type)) {}

  // Appends `value` (null = missing). Errors: a message without the row/field prefix.
  Status Add(const json& value) {
    valid_.push_back(value.is_null() ? 0 : 1);
    if (type_ == "string") {
      if (!value.is_null() && !value.is_string()) return Wrong("a string", value);
      strings_.push_back(value.is_string() ? value.get<std::string>() : "");
    } else if (type_ == "bool") {
      if (!value.is_null() && !value.is_boolean()) return Wrong("true or false", value);
      bools_.push_back(value.is_boolean() && value.get<bool>() ? 1 : 0);
    } else if (type_ == "int64") {
      if (!value.is_null() && !IsInteger(value)) return Wrong("an integer", value);
      ints_.push_back(value.is_null()           ? 0
                      : value.is_number_float() ? static_cast<int64_t>(value.get<double>())
                                                : value.get<int64_t>());
    } else {
      if (!value.is_null() && !value.is_number()) return Wrong("a number", value);
      doubles_.push_back(value.is_null() ? 0.0 : value.get<double>());
    }
    return Status::Ok();
  }

  ml::Column Take() {
    if (type_ == "string") return ml::Column::String(name_, std::move(strings_), std::move(valid_));
    if (type_ == "bool") return ml::Column::Bool(name_, std::move(bools_), std::move(valid_));
    if (type_ == "int64") return ml::Column::Int64(name_, std::move(ints_), std::move(valid_));
    return ml::Column::Float64(name_, std::move(doubles_), std::move(valid_));
  }

  void Reserve(size_t rows) {
    valid_.reserve(rows);
    if (type_ == "float64") doubles_.reserve(rows);
  }
  const std::string& name() const { return name_; }

 private:
  static bool IsInteger(const json& v) {
    if (v.is_number_integer()) return true;
    return v.is_number_float() && std::trunc(v.get<double>()) == v.get<double>() &&
           std::abs(v.get<double>()) < 9.2e18;
  }
  Status Wrong(const char* expected, const json& value) const {
    std::string shown = value.dump();
    if (shown.size() > 40) shown = shown.substr(0, 40) + "...";
    return InvalidArgument("feature '" + name_ + "': expected " + expected + ", got " + shown);
  }

  std::string name_, type_;
  std::vector<uint8_t> valid_;
  std::vector<double> doubles_;
  std::vector<int64_t> ints_;
  std::vector<uint8_t> bools_;
  std::vector<std::string> strings_;
};

std::vector<ColumnFill> Fills(const Signature& signature, size_t rows) {
  std::vector<ColumnFill> out;
  for (const auto& [name, type] : signature) {
    out.emplace_back(name, type);
    out.back().Reserve(rows);
  }
  return out;
}

Result<ml::Table> Finish(std::vector<ColumnFill>& fills) {
  ml::Table table;
  for (ColumnFill& fill : fills) KILN_RETURN_IF_ERROR(table.AddColumn(fill.Take()));
  return table;
}

Status CheckSize(size_t rows, const std::string& field) {
  if (rows == 0) return InvalidArgument("'" + field + "' holds no rows");
  if (rows > kMaxBatchRows) {
    return InvalidArgument("'" + field + "' holds " + std::to_string(rows) +
                           " rows, more than the limit of " + std::to_string(kMaxBatchRows));
  }
  return Status::Ok();
}

Status AtRow(const std::string& field, size_t row, const Status& status) {
  return InvalidArgument(field + "[" + std::to_string(row) + "]: " + status.message());
}

std::unordered_map<std::string, size_t> IndexOf(const Signature& signature) {
  std::unordered_map<std::string, size_t> out;
  for (size_t i = 0; i < signature.size(); ++i) out.emplace(signature[i].first, i);
  return out;
}

std::string Expected(const Signature& signature) {
  std::string out;
  for (const auto& [name, type] : signature) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// Where a listed column's values go: its signature position, or kIgnored for a column that is
// not a model input.
constexpr size_t kIgnored = static_cast<size_t>(-1);

Status UnknownFeature(const std::string& name, const Signature& signature) {
  return InvalidArgument("unknown feature '" + name + "' (the model takes " + Expected(signature) +
                         ")");
}

// The signature positions of `columns`, each input named exactly once.
Result<std::vector<size_t>> Positions(const std::vector<std::string>& columns,
                                      const Signature& signature, const std::string& field,
                                      ExtraFields& extra) {
  const auto index = IndexOf(signature);
  std::vector<size_t> out;
  std::vector<bool> seen(signature.size(), false);
  for (const std::string& name : columns) {
    auto it = index.find(name);
    if (it == index.end()) {
      if (extra.refuse)
        return InvalidArgument(field + ": " + UnknownFeature(name, signature).message());
      extra.Ignore(name);
      out.push_back(kIgnored);
      continue;
    }
    if (seen[it->second]) return InvalidArgument(field + ": feature '" + name + "' given twice");
    seen[it->second] = true;
    out.push_back(it->second);
  }
  for (size_t i = 0; i < signature.size(); ++i) {
    if (!seen[i]) return InvalidArgument(field + ": missing feature '" + signature[i].first + "'");
  }
  return out;
}

}  // namespace

void ExtraFields::Ignore(std::string_view name) {
  for (const std::string& known : ignored) {
    if (known == name) return;
  }
  if (ignored.size() == kMaxIgnoredNames) {
    unlisted = true;
    return;
  }
  ignored.emplace_back(name);
}

Result<ml::Table> TableFromRecords(const json& records, const Signature& signature,
                                   const std::string& field, ExtraFields& extra) {
  if (!records.is_array()) return InvalidArgument("'" + field + "' must be a list of row objects");
  KILN_RETURN_IF_ERROR(CheckSize(records.size(), field));
  const auto index = IndexOf(signature);
  std::vector<ColumnFill> fills = Fills(signature, records.size());
  std::vector<const json*> cells(signature.size());
  for (size_t r = 0; r < records.size(); ++r) {
    const json& row = records[r];
    if (!row.is_object()) return AtRow(field, r, InvalidArgument("is not an object"));
    std::fill(cells.begin(), cells.end(), nullptr);
    for (auto it = row.begin(); it != row.end(); ++it) {
      auto at = index.find(it.key());
      if (at == index.end()) {
        if (extra.refuse) return AtRow(field, r, UnknownFeature(it.key(), signature));
        extra.Ignore(it.key());
        continue;
      }
      cells[at->second] = &it.value();
    }
    for (size_t c = 0; c < cells.size(); ++c) {
      if (cells[c] == nullptr) {
        return AtRow(field, r, InvalidArgument("missing feature '" + signature[c].first + "'"));
      }
      Status added = fills[c].Add(*cells[c]);
      if (!added.ok()) return AtRow(field, r, added);
    }
  }
  return Finish(fills);
}

Result<ml::Table> TableFromSplit(const std::vector<std::string>& columns, const json& data,
                                 const Signature& signature, const std::string& field,
                                 ExtraFields& extra) {
  std::vector<size_t> positions;
  if (columns.empty()) {
    for (size_t i = 0; i < signature.size(); ++i) positions.push_back(i);
  } else {
    KILN_ASSIGN_OR_RETURN(positions, Positions(columns, signature, field, extra));
  }
  if (!data.is_array()) return InvalidArgument("'" + field + "' must be a list of value lists");
  KILN_RETURN_IF_ERROR(CheckSize(data.size(), field));
  std::vector<ColumnFill> fills = Fills(signature, data.size());
  for (size_t r = 0; r < data.size(); ++r) {
    const json& row = data[r];
    if (!row.is_array() || row.size() != positions.size()) {
      return AtRow(
          field, r,
          InvalidArgument("expected a list of " + std::to_string(positions.size()) + " values"));
    }
    for (size_t i = 0; i < positions.size(); ++i) {
      if (positions[i] == kIgnored) continue;
      Status added = fills[positions[i]].Add(row[i]);
      if (!added.ok()) return AtRow(field, r, added);
    }
  }
  return Finish(fills);
}

Result<ml::Table> TableFromColumns(const std::vector<std::pair<std::string, const json*>>& columns,
                                   const Signature& signature, const std::string& field,
                                   ExtraFields& extra) {
  std::vector<std::string> names;
  for (const auto& [name, values] : columns) names.push_back(name);
  KILN_ASSIGN_OR_RETURN(std::vector<size_t> positions, Positions(names, signature, field, extra));
  const size_t rows =
      columns.empty() || !columns[0].second->is_array() ? 0 : columns[0].second->size();
  KILN_RETURN_IF_ERROR(CheckSize(rows, field));
  std::vector<ColumnFill> fills = Fills(signature, rows);
  for (size_t i = 0; i < columns.size(); ++i) {
    const json& values = *columns[i].second;
    if (!values.is_array() || values.size() != rows) {
      return InvalidArgument(field + ": feature '" + columns[i].first + "' must be a list of " +
                             std::to_string(rows) + " values, like the first");
    }
    if (positions[i] == kIgnored) continue;
    for (size_t r = 0; r < rows; ++r) {
      Status added = fills[positions[i]].Add(values[r]);
      if (!added.ok()) return AtRow(field, r, added);
    }
  }
  return Finish(fills);
}

Result<std::vector<std::string>> ColumnNames(const json& columns, const std::string& field) {
  if (!columns.is_array()) return InvalidArgument("'" + field + "' must be a list of names");
  std::vector<std::string> out;
  for (const json& name : columns) {
    if (!name.is_string()) return InvalidArgument("'" + field + "' must be a list of names");
    out.push_back(name.get<std::string>());
  }
  return out;
}

}  // namespace kiln::serving
