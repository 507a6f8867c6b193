// FitPreprocess: learns each operation's values from the training table as transformed by the
// operations before it (fit, then apply that operation to the working copy, then the next).
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

#include "ml/preprocess_frame.h"
#include "ml/table_rows.h"

namespace kiln::ml {
namespace {

using preprocess_internal::FindColumn;
using preprocess_internal::Frame;
using preprocess_internal::NumericValues;

Status NoDuplicates(const std::vector<std::string>& names, const std::string& op,
                    std::set<std::string>& seen) {
  for (const std::string& name : names) {
    if (!seen.insert(name).second) {
      return InvalidArgument("column '" + name + "' is named twice in " + op);
    }
  }
  return Status::Ok();
}

Status CheckSpec(const PreprocessSpec& spec) {
  std::set<std::string> imputed;  // one impute strategy per column
  KILN_RETURN_IF_ERROR(NoDuplicates(spec.impute_mean, "impute", imputed));
  KILN_RETURN_IF_ERROR(NoDuplicates(spec.impute_median, "impute", imputed));
  KILN_RETURN_IF_ERROR(NoDuplicates(spec.impute_most_frequent, "impute", imputed));
  const std::pair<const std::vector<std::string>*, const char*> lists[] = {
      {&spec.label_encode, "label_encode"},
      {&spec.one_hot, "one_hot"},
      {&spec.standardize, "standardize"},
      {&spec.minmax, "minmax"}};
  for (const auto& [names, op] : lists) {
    std::set<std::string> seen;
    KILN_RETURN_IF_ERROR(NoDuplicates(*names, op, seen));
  }
  return Status::Ok();
}

// The present values of an int64 or float64 column, all finite. Errors: wrong type, none
// present, a NaN or infinity.
Result<std::vector<double>> FitValues(const Column& column, const std::string& op) {
  if (column.type() != ColumnType::kFloat64 && column.type() != ColumnType::kInt64) {
    return InvalidArgument("column '" + column.name() + "' is " + ColumnTypeName(column.type()) +
                           "; " + op + " needs an int64 or float64 column");
  }
  std::vector<double> values;
  for (size_t row = 0; row < column.size(); ++row) {
    if (!column.IsValid(row)) continue;
    const double v = column.type() == ColumnType::kFloat64
                         ? column.doubles()[row]
                         : static_cast<double>(column.ints()[row]);
    if (!std::isfinite(v)) {
      return InvalidArgument("column '" + column.name() + "' row " + std::to_string(row) + ": " +
                             op + " cannot fit a NaN or infinite value");
    }
    values.push_back(v);
  }
  if (values.empty()) {
    return InvalidArgument("column '" + column.name() + "' has no values to fit " + op);
  }
  return values;
}

double Mean(const std::vector<double>& values) {
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t mid = values.size() / 2;
  if (values.size() % 2 == 1) return values[mid];
  return std::midpoint(values[mid - 1], values[mid]);
}

// The most frequent present value of `values`; ties go to the smallest. `found` is false when
// no value is present.
template <typename T>
T MostFrequent(const std::vector<T>& values, const Column& column, bool& found) {
  std::map<T, size_t> counts;
  for (size_t row = 0; row < values.size(); ++row) {
    if (column.IsValid(row)) ++counts[values[row]];
  }
  found = !counts.empty();
  auto best = counts.begin();
  for (auto it = counts.begin(); it != counts.end(); ++it) {
    if (it->second > best->second) best = it;
  }
  return found ? best->first : T{};
}

Status FitMostFrequent(const Column& column, ImputeFit& fit) {
  bool found = false;
  switch (column.type()) {
    case ColumnType::kFloat64: {
      KILN_ASSIGN_OR_RETURN(std::vector<double> values, FitValues(column, "most_frequent"));
      Column present = Column::Float64(column.name(), std::move(values));
      fit.number = MostFrequent(present.doubles(), present, found);
      break;
    }
    case ColumnType::kInt64:
      fit.integer = MostFrequent(column.ints(), column, found);
      break;
    case ColumnType::kBool:
      fit.boolean = MostFrequent(column.bools(), column, found) != 0;
      break;
    case ColumnType::kString:
      fit.text = MostFrequent(column.strings(), column, found);
      break;
  }
  if (!found) {
    return InvalidArgument("column '" + column.name() + "' has no values to fit most_frequent");
  }
  return Status::Ok();
}

Result<ImputeFit> FitImputeColumn(const Frame& frame, const std::string& name,
                                  ImputeStrategy strategy) {
  KILN_ASSIGN_OR_RETURN(size_t index, FindColumn(frame, name));
  const Column& column = frame.columns[index];
  ImputeFit fit;
  fit.column = name;
  fit.strategy = strategy;
  fit.type = column.type();
  if (strategy == ImputeStrategy::kMostFrequent) {
    KILN_RETURN_IF_ERROR(FitMostFrequent(column, fit));
    return fit;
  }
  KILN_ASSIGN_OR_RETURN(std::vector<double> values,
                        FitValues(column, ImputeStrategyName(strategy)));
  fit.number = strategy == ImputeStrategy::kMean ? Mean(values) : Median(std::move(values));
  if (!std::isfinite(fit.number)) {
    return InvalidArgument("column '" + name + "': the fitted value is not finite");
  }
  return fit;
}

Result<std::vector<ImputeFit>> FitImpute(const PreprocessSpec& spec, const Frame& frame) {
  const std::pair<const std::vector<std::string>*, ImputeStrategy> lists[] = {
      {&spec.impute_mean, ImputeStrategy::kMean},
      {&spec.impute_median, ImputeStrategy::kMedian},
      {&spec.impute_most_frequent, ImputeStrategy::kMostFrequent}};
  std::vector<ImputeFit> fits;
  for (const auto& [names, strategy] : lists) {
    for (const std::string& name : *names) {
      KILN_ASSIGN_OR_RETURN(ImputeFit fit, FitImputeColumn(frame, name, strategy));
      fits.push_back(std::move(fit));
    }
  }
  return fits;
}

// The distinct present values of `values` as CellText, in value order.
template <typename T>
std::vector<std::string> SortedCategories(const std::vector<T>& values, const Column& column) {
  std::map<T, size_t> first_row;
  for (size_t row = 0; row < values.size(); ++row) {
    if (column.IsValid(row)) first_row.emplace(values[row], row);
  }
  std::vector<std::string> texts;
  for (const auto& [value, row] : first_row) texts.push_back(CellText(column, row));
  return texts;
}

Result<std::vector<CategoriesFit>> FitCategories(const std::vector<std::string>& names,
                                                 const Frame& frame, const std::string& op) {
  std::vector<CategoriesFit> fits;
  for (const std::string& name : names) {
    KILN_ASSIGN_OR_RETURN(size_t index, FindColumn(frame, name));
    const Column& column = frame.columns[index];
    CategoriesFit fit{name, column.type(), {}};
    if (column.type() == ColumnType::kInt64) {
      fit.categories = SortedCategories(column.ints(), column);
    } else if (column.type() == ColumnType::kBool) {
      fit.categories = SortedCategories(column.bools(), column);
    } else if (column.type() == ColumnType::kString) {
      fit.categories = SortedCategories(column.strings(), column);
    } else {
      return InvalidArgument("column '" + name + "' is float64; " + op +
                             " needs a string, bool or int64 column");
    }
    fits.push_back(std::move(fit));
  }
  return fits;
}

Result<std::vector<StandardizeFit>> FitStandardize(const std::vector<std::string>& names,
                                                   const Frame& frame) {
  std::vector<StandardizeFit> fits;
  for (const std::string& name : names) {
    KILN_ASSIGN_OR_RETURN(size_t index, FindColumn(frame, name));
    KILN_RETURN_IF_ERROR(NumericValues(frame.columns[index], "standardize").status());
    KILN_ASSIGN_OR_RETURN(std::vector<double> x, FitValues(frame.columns[index], "standardize"));
    const double mean = Mean(x);
    double squares = 0;
    for (double v : x) squares += (v - mean) * (v - mean);
    const double sd = std::sqrt(squares / static_cast<double>(x.size()));
    if (!std::isfinite(mean) || !std::isfinite(sd)) {
      return InvalidArgument("column '" + name + "': standardize statistics are not finite");
    }
    fits.push_back({name, mean, sd == 0 ? 1.0 : sd});
  }
  return fits;
}

Result<std::vector<MinMaxFit>> FitMinMax(const std::vector<std::string>& names,
                                         const Frame& frame) {
  std::vector<MinMaxFit> fits;
  for (const std::string& name : names) {
    KILN_ASSIGN_OR_RETURN(size_t index, FindColumn(frame, name));
    KILN_RETURN_IF_ERROR(NumericValues(frame.columns[index], "minmax").status());
    KILN_ASSIGN_OR_RETURN(std::vector<double> x, FitValues(frame.columns[index], "minmax"));
    auto [min, max] = std::minmax_element(x.begin(), x.end());
    if (!std::isfinite(*max - *min)) {
      return InvalidArgument("column '" + name + "': minmax range is not finite");
    }
    fits.push_back({name, *min, *max});
  }
  return fits;
}

}  // namespace

const char* ImputeStrategyName(ImputeStrategy strategy) {
  switch (strategy) {
    case ImputeStrategy::kMean:
      return "mean";
    case ImputeStrategy::kMedian:
      return "median";
    case ImputeStrategy::kMostFrequent:
      return "most_frequent";
  }
  return "?";
}

Result<FittedPreprocess> FitPreprocess(const PreprocessSpec& spec, const Table& train) {
  namespace pi = preprocess_internal;
  if (train.num_rows() == 0) return InvalidArgument("the training table has no rows");
  KILN_RETURN_IF_ERROR(CheckSpec(spec));
  Frame frame = pi::ToFrame(train);
  FittedPreprocess fitted;
  for (const Column& column : train.columns()) {
    fitted.inputs.push_back({column.name(), column.type()});
  }
  KILN_ASSIGN_OR_RETURN(fitted.impute, FitImpute(spec, frame));
  KILN_RETURN_IF_ERROR(pi::ApplyImpute(fitted.impute, frame));
  fitted.cross_product = spec.cross_product;
  fitted.cross_concat = spec.cross_concat;
  KILN_RETURN_IF_ERROR(pi::ApplyCross(fitted, frame));
  KILN_ASSIGN_OR_RETURN(fitted.label_encode,
                        FitCategories(spec.label_encode, frame, "label_encode"));
  KILN_RETURN_IF_ERROR(pi::ApplyLabelEncode(fitted.label_encode, frame));
  KILN_ASSIGN_OR_RETURN(fitted.one_hot, FitCategories(spec.one_hot, frame, "one_hot"));
  KILN_RETURN_IF_ERROR(pi::ApplyOneHot(fitted.one_hot, frame));
  KILN_ASSIGN_OR_RETURN(fitted.standardize, FitStandardize(spec.standardize, frame));
  KILN_RETURN_IF_ERROR(pi::ApplyStandardize(fitted.standardize, frame));
  KILN_ASSIGN_OR_RETURN(fitted.minmax, FitMinMax(spec.minmax, frame));
  return fitted;
}

std::vector<std::string> ChainReadColumns(const FittedPreprocess& fitted) {
  std::vector<std::string> out;
  auto add = [&out](const std::string& column) {
    if (std::find(out.begin(), out.end(), column) == out.end()) out.push_back(column);
  };
  for (const ImputeFit& fit : fitted.impute) add(fit.column);
  for (const auto* pairs : {&fitted.cross_product, &fitted.cross_concat}) {
    for (const ColumnPair& pair : *pairs) {
      add(pair.left);
      add(pair.right);
    }
  }
  for (const auto* fits : {&fitted.label_encode, &fitted.one_hot}) {
    for (const CategoriesFit& fit : *fits) add(fit.column);
  }
  for (const StandardizeFit& fit : fitted.standardize) add(fit.column);
  for (const MinMaxFit& fit : fitted.minmax) add(fit.column);
  return out;
}

}  // namespace kiln::ml
