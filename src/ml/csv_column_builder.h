// ColumnBuilder: collects one column's values for one chunk of CSV rows, narrowing the inferred
// type as values arrive (int64 -> float64 -> text). Internal to ml/; not thread-safe (each
// chunk has its own builders).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "ml/csv_values.h"

namespace kiln::ml::csv {

// Asks the kernel for transparent huge pages over the whole 2 MiB pages inside [data,
// data + bytes): filling large value vectors then takes far fewer page faults. Best effort.
void AdviseHugePages(const void* data, size_t bytes);

// v.reserve(n), with huge pages advised for the buffer.
template <typename T>
void ReserveLarge(std::vector<T>& v, size_t n) {
  v.reserve(n);
  AdviseHugePages(v.data(), v.capacity() * sizeof(T));
}

// The representation a builder holds; kText keeps raw field views (bool or string later).
enum class Kind : uint8_t { kInt = 0, kFloat = 1, kBool = 2, kText = 3 };

class ColumnBuilder {
 public:
  // Starts as `kind`; a `declared` builder never changes kind and rejects mismatching values.
  ColumnBuilder(Kind kind, bool declared, size_t expected_rows);

  Kind kind() const { return kind_; }
  bool declared() const { return declared_; }
  size_t rows() const { return rows_; }
  // Number of non-missing values seen.
  size_t present() const { return present_; }

  // Fast paths for a value already parsed as the builder's kind.
  [[gnu::always_inline]] void AddInt(int64_t v) {
    ints_.push_back(v);
    AddPresent();
  }
  [[gnu::always_inline]] void AddDouble(double v) {
    doubles_.push_back(v);
    AddPresent();
  }

  // Adds a raw field (quotes included). Returns false, adding nothing, when the builder is
  // declared and the value does not parse as its kind.
  bool Add(std::string_view raw, const MissingSet& missing);

  // True when raw texts are held for every row (kind kText since the first row).
  bool HasAllTexts() const { return kind_ == Kind::kText && text_from_ == 0; }
  // Replaces the held values by `texts` (one raw field per row) and becomes kText.
  void SetTexts(std::vector<std::string_view> texts);

  std::vector<int64_t>& ints() { return ints_; }
  std::vector<double>& doubles() { return doubles_; }
  std::vector<uint8_t>& bools() { return bools_; }
  std::vector<std::string_view>& texts() { return texts_; }
  // The validity mask of all rows (built on first use when no value was missing).
  std::vector<uint8_t>& valid();

 private:
  // Counts a present value; the mask is only written once a value has been missing, which
  // saves a store per field in columns without missing values.
  [[gnu::always_inline]] void AddPresent() {
    ++rows_;
    ++present_;
    if (has_mask_) valid_.push_back(1);
  }
  void StartMask();
  void AddMissing();
  void ToFloat();
  void ToText();
  void AddText(std::string_view raw);

  Kind kind_;
  bool declared_;
  size_t rows_ = 0;
  size_t present_ = 0;
  size_t expected_rows_;
  bool has_mask_ = false;  // valid_ holds rows_ entries; else all rows are present
  size_t text_from_ = 0;   // rows before this have no text (they were read as numbers)
  std::vector<int64_t> ints_;
  std::vector<double> doubles_;
  std::vector<uint8_t> bools_;
  std::vector<std::string_view> texts_;
  std::vector<uint8_t> valid_;
};

}  // namespace kiln::ml::csv
