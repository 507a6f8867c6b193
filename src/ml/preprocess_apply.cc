// The apply step of every preprocess operation. Each output cell is computed from the same row's
// input cell and the fitted values only, so a row gives the same bits alone or in a table.
#include <cstdio>
#include <unordered_map>

#include "ml/preprocess_frame.h"
#include "ml/table_rows.h"

namespace kiln::ml {
namespace preprocess_internal {
namespace {

// The first 20 training categories of `fit`, for messages.
std::string KnownCategories(const CategoriesFit& fit) {
  std::string known;
  for (size_t i = 0; i < fit.categories.size() && i < 20; ++i) {
    known += (i ? ", " : "") + fit.categories[i];
  }
  if (fit.categories.size() > 20) known += ", ...";
  return known;
}

// Fills the missing entries of a mean/median column; the result is float64.
Status FillNumber(const ImputeFit& fit, Column& column) {
  const std::string op = std::string("impute ") + ImputeStrategyName(fit.strategy);
  if (column.type() != ColumnType::kFloat64 && column.type() != ColumnType::kInt64) {
    return InvalidArgument("column '" + column.name() + "' is " + ColumnTypeName(column.type()) +
                           "; " + op + " needs an int64 or float64 column");
  }
  std::vector<double> values(column.size());
  for (size_t i = 0; i < values.size(); ++i) {
    if (!column.IsValid(i)) {
      values[i] = fit.number;
    } else if (column.type() == ColumnType::kFloat64) {
      values[i] = column.doubles()[i];
    } else {
      values[i] = static_cast<double>(column.ints()[i]);
    }
  }
  column = Column::Float64(column.name(), std::move(values));
  return Status::Ok();
}

template <typename T>
void FillSlots(std::vector<T>& values, std::vector<uint8_t>& valid, const T& fill) {
  for (size_t i = 0; i < valid.size(); ++i) {
    if (!valid[i]) values[i] = fill;
    valid[i] = 1;
  }
}

// Fills the missing entries of a most_frequent column with its typed value.
Status FillMostFrequent(const ImputeFit& fit, Column& column) {
  KILN_RETURN_IF_ERROR(RequireType(column, fit.type));
  std::vector<uint8_t>& valid = column.mutable_valid();
  switch (fit.type) {
    case ColumnType::kFloat64:
      FillSlots(column.mutable_doubles(), valid, fit.number);
      break;
    case ColumnType::kInt64:
      FillSlots(column.mutable_ints(), valid, fit.integer);
      break;
    case ColumnType::kBool:
      FillSlots(column.mutable_bools(), valid, static_cast<uint8_t>(fit.boolean));
      break;
    case ColumnType::kString:
      FillSlots(column.mutable_strings(), valid, fit.text);
      break;
  }
  return Status::Ok();
}

// The code of a value not seen in training (lenient apply).
constexpr size_t kUnseen = static_cast<size_t>(-1);

// The category index of every row: kUnseen for a value not seen in training when `frame` is
// lenient (listed in frame.unseen). Errors: wrong type, a missing value, an unseen value when
// strict.
Result<std::vector<size_t>> CategoryCodes(const CategoriesFit& fit, const Column& column,
                                          const std::string& op, Frame& frame) {
  KILN_RETURN_IF_ERROR(RequireType(column, fit.type));
  KILN_RETURN_IF_ERROR(RequireValues(column, op));
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < fit.categories.size(); ++i) index.emplace(fit.categories[i], i);
  std::vector<size_t> codes(column.size());
  bool first = true;  // only the first unseen value of a column carries the known categories
  for (size_t row = 0; row < codes.size(); ++row) {
    std::string text = CellText(column, row);
    auto it = index.find(text);
    if (it != index.end()) {
      codes[row] = it->second;
      continue;
    }
    UnseenCategory unseen{column.name(), row, std::move(text), op == "one_hot",
                          first ? KnownCategories(fit) : std::string()};
    first = false;
    if (frame.unseen == nullptr) return UnseenCategoryError(unseen);
    frame.unseen->push_back(std::move(unseen));
    codes[row] = kUnseen;
  }
  return codes;
}

Status AddProduct(const ColumnPair& pair, Frame& frame) {
  const std::string name = pair.left + "*" + pair.right;
  const std::string op = "cross '" + name + "'";
  KILN_ASSIGN_OR_RETURN(size_t left, FindColumn(frame, pair.left));
  KILN_ASSIGN_OR_RETURN(size_t right, FindColumn(frame, pair.right));
  KILN_ASSIGN_OR_RETURN(std::vector<double> a, NumericValues(frame.columns[left], op));
  KILN_ASSIGN_OR_RETURN(std::vector<double> b, NumericValues(frame.columns[right], op));
  KILN_RETURN_IF_ERROR(RequireNewName(frame, name));
  for (size_t i = 0; i < a.size(); ++i) a[i] *= b[i];
  frame.columns.push_back(Column::Float64(name, std::move(a)));
  return Status::Ok();
}

Status AddConcat(const ColumnPair& pair, Frame& frame) {
  const std::string name = pair.left + "+" + pair.right;
  const std::string op = "cross '" + name + "'";
  KILN_ASSIGN_OR_RETURN(size_t left, FindColumn(frame, pair.left));
  KILN_ASSIGN_OR_RETURN(size_t right, FindColumn(frame, pair.right));
  KILN_RETURN_IF_ERROR(RequireValues(frame.columns[left], op));
  KILN_RETURN_IF_ERROR(RequireValues(frame.columns[right], op));
  KILN_RETURN_IF_ERROR(RequireNewName(frame, name));
  std::vector<std::string> joined(frame.rows);
  for (size_t i = 0; i < frame.rows; ++i) {
    joined[i] = CellText(frame.columns[left], i) + "_" + CellText(frame.columns[right], i);
  }
  frame.columns.push_back(Column::String(name, std::move(joined)));
  return Status::Ok();
}

// Replaces the column at `index` with `k` 0/1 columns "col=category".
Status ExpandOneHot(const CategoriesFit& fit, const std::vector<size_t>& codes, size_t index,
                    Frame& frame) {
  std::vector<Column> expanded;
  for (size_t k = 0; k < fit.categories.size(); ++k) {
    std::string name = fit.column + "=" + fit.categories[k];
    KILN_RETURN_IF_ERROR(RequireNewName(frame, name));
    std::vector<double> hot(codes.size());
    for (size_t row = 0; row < codes.size(); ++row) hot[row] = codes[row] == k ? 1.0 : 0.0;
    expanded.push_back(Column::Float64(std::move(name), std::move(hot)));
  }
  frame.columns.erase(frame.columns.begin() + static_cast<std::ptrdiff_t>(index));
  frame.columns.insert(frame.columns.begin() + static_cast<std::ptrdiff_t>(index),
                       std::make_move_iterator(expanded.begin()),
                       std::make_move_iterator(expanded.end()));
  return Status::Ok();
}

}  // namespace

Status ApplyImpute(const std::vector<ImputeFit>& fits, Frame& frame) {
  for (const ImputeFit& fit : fits) {
    KILN_ASSIGN_OR_RETURN(size_t index, FindColumn(frame, fit.column));
    Column& column = frame.columns[index];
    if (fit.strategy == ImputeStrategy::kMostFrequent) {
      KILN_RETURN_IF_ERROR(FillMostFrequent(fit, column));
    } else {
      KILN_RETURN_IF_ERROR(FillNumber(fit, column));
    }
  }
  return Status::Ok();
}

Status ApplyCross(const FittedPreprocess& fitted, Frame& frame) {
  for (const ColumnPair& pair : fitted.cross_product) KILN_RETURN_IF_ERROR(AddProduct(pair, frame));
  for (const ColumnPair& pair : fitted.cross_concat) KILN_RETURN_IF_ERROR(AddConcat(pair, frame));
  return Status::Ok();
}

Status ApplyLabelEncode(const std::vector<CategoriesFit>& fits, Frame& frame) {
  for (const CategoriesFit& fit : fits) {
    KILN_ASSIGN_OR_RETURN(size_t index, FindColumn(frame, fit.column));
    KILN_ASSIGN_OR_RETURN(std::vector<size_t> codes,
                          CategoryCodes(fit, frame.columns[index], "label_encode", frame));
    std::vector<int64_t> ints(codes.size());
    std::vector<uint8_t> valid(codes.size(), 1);
    for (size_t row = 0; row < codes.size(); ++row) {
      if (codes[row] == kUnseen) {
        valid[row] = 0;
      } else {
        ints[row] = static_cast<int64_t>(codes[row]);
      }
    }
    frame.columns[index] = Column::Int64(fit.column, std::move(ints), std::move(valid));
  }
  return Status::Ok();
}

Status ApplyOneHot(const std::vector<CategoriesFit>& fits, Frame& frame) {
  for (const CategoriesFit& fit : fits) {
    KILN_ASSIGN_OR_RETURN(size_t index, FindColumn(frame, fit.column));
    KILN_ASSIGN_OR_RETURN(std::vector<size_t> codes,
                          CategoryCodes(fit, frame.columns[index], "one_hot", frame));
    KILN_RETURN_IF_ERROR(ExpandOneHot(fit, codes, index, frame));
  }
  return Status::Ok();
}

Status ApplyStandardize(const std::vector<StandardizeFit>& fits, Frame& frame) {
  for (const StandardizeFit& fit : fits) {
    KILN_ASSIGN_OR_RETURN(size_t index, FindColumn(frame, fit.column));
    KILN_ASSIGN_OR_RETURN(std::vector<double> x,
                          NumericValues(frame.columns[index], "standardize"));
    for (double& v : x) v = (v - fit.mean) / fit.std;
    frame.columns[index] = Column::Float64(fit.column, std::move(x));
  }
  return Status::Ok();
}

Status ApplyMinMax(const std::vector<MinMaxFit>& fits, Frame& frame) {
  for (const MinMaxFit& fit : fits) {
    KILN_ASSIGN_OR_RETURN(size_t index, FindColumn(frame, fit.column));
    KILN_ASSIGN_OR_RETURN(std::vector<double> x, NumericValues(frame.columns[index], "minmax"));
    const double range = fit.max - fit.min;
    for (double& v : x) v = range == 0 ? 0.0 : (v - fit.min) / range;
    frame.columns[index] = Column::Float64(fit.column, std::move(x));
  }
  return Status::Ok();
}

}  // namespace preprocess_internal

namespace {

Result<Table> Apply(const FittedPreprocess& fitted, const Table& input,
                    std::vector<UnseenCategory>* unseen) {
  namespace pi = preprocess_internal;
  pi::Frame frame = pi::ToFrame(input);
  frame.unseen = unseen;
  KILN_RETURN_IF_ERROR(pi::ApplyImpute(fitted.impute, frame));
  KILN_RETURN_IF_ERROR(pi::ApplyCross(fitted, frame));
  KILN_RETURN_IF_ERROR(pi::ApplyLabelEncode(fitted.label_encode, frame));
  KILN_RETURN_IF_ERROR(pi::ApplyOneHot(fitted.one_hot, frame));
  KILN_RETURN_IF_ERROR(pi::ApplyStandardize(fitted.standardize, frame));
  KILN_RETURN_IF_ERROR(pi::ApplyMinMax(fitted.minmax, frame));
  return pi::ToTable(std::move(frame));
}

}  // namespace

Result<Table> ApplyPreprocess(const FittedPreprocess& fitted, const Table& input) {
  return Apply(fitted, input, nullptr);
}

Result<Table> ApplyPreprocess(const FittedPreprocess& fitted, const Table& input,
                              std::vector<UnseenCategory>& unseen) {
  return Apply(fitted, input, &unseen);
}

std::string UnseenCategoryWarning(const UnseenCategory& unseen) {
  return "row " + std::to_string(unseen.row) + ": '" + unseen.value +
         "' is not a known category of '" + unseen.column + "' (encoded as " +
         (unseen.one_hot ? "all zeros)" : "a missing value)");
}

void PrintUnseenCategories(const std::vector<UnseenCategory>& unseen, size_t limit) {
  for (size_t i = 0; i < unseen.size() && i < limit; ++i) {
    std::fprintf(stderr, "warning: %s\n", UnseenCategoryWarning(unseen[i]).c_str());
  }
  if (unseen.size() > limit) {
    std::fprintf(stderr, "warning: %zu more values not seen in training\n", unseen.size() - limit);
  }
}

Status UnseenCategoryError(const UnseenCategory& unseen) {
  return InvalidArgument("column '" + unseen.column + "' row " + std::to_string(unseen.row) +
                         ": '" + unseen.value +
                         "' was not seen in training (known: " + unseen.known + ")");
}

}  // namespace kiln::ml
