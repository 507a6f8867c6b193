#include "serving/rows_fast.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "serving/rows_fast_scanner.h"

namespace kiln::serving {
namespace {

enum class Kind { kFloat64, kInt64, kBool, kString };

// As ColumnFill in rows_json.cc: an unknown type name is read as float64.
Kind KindOf(const std::string& type) {
  if (type == "string") return Kind::kString;
  if (type == "bool") return Kind::kBool;
  if (type == "int64") return Kind::kInt64;
  return Kind::kFloat64;
}

// The same test and conversion as ColumnFill::IsInteger for a JSON float in an int64 column.
bool IntegralDouble(double v) { return std::trunc(v) == v && std::abs(v) < 9.2e18; }

// Values of one signature column, appended row by row with ColumnFill's null placeholders.
class FastColumn {
 public:
  explicit FastColumn(Kind kind) : kind_(kind) {}

  size_t size() const { return valid_.size(); }

  void Reserve(size_t rows) {
    valid_.reserve(rows);
    if (kind_ == Kind::kFloat64) doubles_.reserve(rows);
    if (kind_ == Kind::kInt64) ints_.reserve(rows);
    if (kind_ == Kind::kBool) bools_.reserve(rows);
    if (kind_ == Kind::kString) strings_.reserve(rows);
  }

  // Reads one value of this column's type (or null) from `in`.
  bool Read(FastJsonScanner& in) {
    if (in.Peek() == 'n') return in.Literal("null") && Missing();
    valid_.push_back(1);
    switch (kind_) {
      case Kind::kString:
        return ReadString(in);
      case Kind::kBool:
        return ReadBool(in);
      case Kind::kInt64:
        return ReadInt(in);
      case Kind::kFloat64:
        return ReadDouble(in);
    }
    return false;
  }

  ml::Column Take(const std::string& name) {
    switch (kind_) {
      case Kind::kString:
        return ml::Column::String(name, std::move(strings_), std::move(valid_));
      case Kind::kBool:
        return ml::Column::Bool(name, std::move(bools_), std::move(valid_));
      case Kind::kInt64:
        return ml::Column::Int64(name, std::move(ints_), std::move(valid_));
      case Kind::kFloat64:
        break;
    }
    return ml::Column::Float64(name, std::move(doubles_), std::move(valid_));
  }

 private:
  bool Missing() {
    valid_.push_back(0);
    if (kind_ == Kind::kString) strings_.emplace_back();
    if (kind_ == Kind::kBool) bools_.push_back(0);
    if (kind_ == Kind::kInt64) ints_.push_back(0);
    if (kind_ == Kind::kFloat64) doubles_.push_back(0.0);
    return true;
  }
  bool ReadString(FastJsonScanner& in) {
    std::string_view s;
    if (!in.String(s)) return false;
    strings_.emplace_back(s);
    return true;
  }
  bool ReadBool(FastJsonScanner& in) {
    const bool value = in.Peek() == 't';
    if (!in.Literal(value ? "true" : "false")) return false;
    bools_.push_back(value ? 1 : 0);
    return true;
  }
  bool ReadInt(FastJsonScanner& in) {
    FastNumber n;
    if (!in.Number(n) || (!n.is_integer && !IntegralDouble(n.real))) return false;
    ints_.push_back(n.is_integer ? n.integer : static_cast<int64_t>(n.real));
    return true;
  }
  bool ReadDouble(FastJsonScanner& in) {
    FastNumber n;
    if (!in.Number(n)) return false;
    doubles_.push_back(n.is_integer ? static_cast<double>(n.integer) : n.real);
    return true;
  }

  Kind kind_;
  std::vector<uint8_t> valid_;
  std::vector<double> doubles_;
  std::vector<int64_t> ints_;
  std::vector<uint8_t> bools_;
  std::vector<std::string> strings_;
};

// Reads {"rows": [...]} into one FastColumn per signature column.
class RowsReader {
 public:
  RowsReader(std::string_view body, const Signature& signature, ExtraFields& extra)
      : in_(body), body_size_(body.size()), signature_(signature), extra_(extra) {
    columns_.reserve(signature.size());
    for (const auto& [name, type] : signature) columns_.emplace_back(KindOf(type));
  }

  // The whole body, or nothing.
  std::optional<ml::Table> Read() {
    std::string_view key;
    if (!in_.Consume('{') || !in_.String(key) || key != "rows" || !in_.Consume(':')) {
      return std::nullopt;
    }
    if (!Array() || !in_.Consume('}') || !in_.AtEnd()) return std::nullopt;
    return Table();
  }

 private:
  // `[` row, row, ... `]` with 1..kMaxBatchRows rows.
  bool Array() {
    if (!in_.Consume('[')) return false;
    size_t rows = 0;
    do {
      if (rows == kMaxBatchRows || !Row(rows)) return false;
      if (++rows == 1 && in_.Peek() == ',') ReserveLikeFirstRow();
    } while (in_.Consume(','));
    return in_.Consume(']');
  }

  // One object holding each signature column exactly once (a key seen twice finds its column
  // already one value longer than `row`), and any other fields with scalar values.
  bool Row(size_t row) {
    if (!in_.Consume('{') || in_.Peek() == '}') return false;
    size_t next = 0;  // keys usually come in signature order: try that column first
    size_t found = 0;
    do {
      std::string_view key;
      if (!in_.String(key) || !in_.Consume(':')) return false;
      const size_t c = Find(key, next);
      if (c == columns_.size()) {
        if (!SkipExtra(key)) return false;
        continue;
      }
      if (columns_[c].size() != row || !columns_[c].Read(in_)) return false;
      ++found;
      next = c + 1;
    } while (in_.Consume(','));
    return found == columns_.size() && in_.Consume('}');
  }

  // A field that is not a model input: skipped (noted once) unless refused.
  bool SkipExtra(std::string_view key) {
    if (extra_.refuse || !in_.SkipScalar()) return false;
    extra_.Ignore(key);
    return true;
  }

  size_t Find(std::string_view key, size_t hint) const {
    if (hint < signature_.size() && signature_[hint].first == key) return hint;
    for (size_t c = 0; c < signature_.size(); ++c) {
      if (signature_[c].first == key) return c;
    }
    return columns_.size();
  }

  // Room for as many rows as the body could hold at the first row's length (an estimate).
  void ReserveLikeFirstRow() {
    const size_t row_bytes = std::max<size_t>(in_.offset(), 1);
    const size_t rows = std::min(body_size_ / row_bytes + 1, kMaxBatchRows);
    for (FastColumn& column : columns_) column.Reserve(rows);
  }

  // Fails only for a signature naming a column twice (the slow path refuses that too).
  std::optional<ml::Table> Table() {
    ml::Table table;
    for (size_t c = 0; c < columns_.size(); ++c) {
      if (!table.AddColumn(columns_[c].Take(signature_[c].first)).ok()) return std::nullopt;
    }
    return table;
  }

  FastJsonScanner in_;
  size_t body_size_;
  const Signature& signature_;
  ExtraFields& extra_;
  std::vector<FastColumn> columns_;
};

}  // namespace

std::optional<ml::Table> FastTableFromNativeRows(std::string_view body, const Signature& signature,
                                                 ExtraFields& extra) {
  if (signature.empty()) return std::nullopt;
  return RowsReader(body, signature, extra).Read();
}

}  // namespace kiln::serving
