#include "ml/csv_column_builder.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <utility>

#include "ml/csv_tokenizer.h"

namespace kiln::ml::csv {

void AdviseHugePages(const void* data, size_t bytes) {
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  uintptr_t begin = (reinterpret_cast<uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
  uintptr_t end = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(kHuge - 1);
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

ColumnBuilder::ColumnBuilder(Kind kind, bool declared, size_t expected_rows)
    : kind_(kind), declared_(declared), expected_rows_(expected_rows) {
  switch (kind_) {
    case Kind::kInt:
      ReserveLarge(ints_, expected_rows);
      break;
    case Kind::kFloat:
      ReserveLarge(doubles_, expected_rows);
      break;
    case Kind::kBool:
      ReserveLarge(bools_, expected_rows);
      break;
    case Kind::kText:
      ReserveLarge(texts_, expected_rows);
      break;
  }
}

bool ColumnBuilder::Add(std::string_view raw, const MissingSet& missing) {
  std::string_view content = FieldContent(raw);
  if (missing.Contains(content)) {
    AddMissing();
    return true;
  }
  switch (kind_) {
    case Kind::kInt: {
      int64_t i;
      if (ParseInt(content, i)) {
        AddInt(i);
        return true;
      }
      if (declared_) return false;
      double d;
      if (ParseDouble(content, d)) {
        ToFloat();
        AddDouble(d);
        return true;
      }
      ToText();
      AddText(raw);
      return true;
    }
    case Kind::kFloat: {
      double d;
      if (ParseDouble(content, d)) {
        AddDouble(d);
        return true;
      }
      if (declared_) return false;
      ToText();
      AddText(raw);
      return true;
    }
    case Kind::kBool: {
      uint8_t b;
      if (!ParseBool(content, b)) return false;
      bools_.push_back(b);
      AddPresent();
      return true;
    }
    case Kind::kText:
      AddText(raw);
      return true;
  }
  return false;
}

void ColumnBuilder::SetTexts(std::vector<std::string_view> texts) {
  ToText();
  texts_ = std::move(texts);
  text_from_ = 0;
}

void ColumnBuilder::AddMissing() {
  switch (kind_) {
    case Kind::kInt:
      ints_.push_back(0);
      break;
    case Kind::kFloat:
      doubles_.push_back(0.0);
      break;
    case Kind::kBool:
      bools_.push_back(0);
      break;
    case Kind::kText:
      texts_.emplace_back();
      break;
  }
  if (!has_mask_) StartMask();
  valid_.push_back(0);
  ++rows_;
}

void ColumnBuilder::StartMask() {
  ReserveLarge(valid_, std::max(expected_rows_, rows_ + 1));
  valid_.assign(rows_, 1);
  has_mask_ = true;
}

std::vector<uint8_t>& ColumnBuilder::valid() {
  if (!has_mask_) StartMask();
  return valid_;
}

void ColumnBuilder::ToFloat() {
  ReserveLarge(doubles_, std::max(expected_rows_, rows_));
  doubles_.assign(ints_.begin(), ints_.end());
  ints_ = {};
  kind_ = Kind::kFloat;
}

void ColumnBuilder::ToText() {
  if (kind_ == Kind::kText) return;
  text_from_ = rows();
  ints_ = {};
  doubles_ = {};
  bools_ = {};
  kind_ = Kind::kText;
}

void ColumnBuilder::AddText(std::string_view raw) {
  texts_.push_back(raw);
  AddPresent();
}

}  // namespace kiln::ml::csv
