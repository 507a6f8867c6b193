// Fitted preprocessing ("transforms"): a chain of column operations whose statistics and
// category lists are learned once from a training table (FitPreprocess) and then re-applied
// exactly, with no statistic recomputed, to any table with the same columns (ApplyPreprocess):
// the training table, a test table, or one serving row.
//
// Operations run in this fixed order, each seeing the output of the previous ones:
//   1. impute        mean / median (int64 or float64 -> float64), most_frequent (any type;
//                    ties go to the smallest value)
//   2. cross         "a*b": new float64 column, the product; "a+b": new string column, the
//                    two cells' text joined with "_"; both appended at the end
//   3. label_encode  string / bool / int64 -> int64 codes 0..k-1 in sorted training-value order
//   4. one_hot       string / bool / int64 -> one float64 0/1 column "col=value" per training
//                    value (sorted), in place of the original column
//   5. standardize   (x - mean) / std, population std (divides by n); std 0 is used as 1
//   6. minmax        (x - min) / (max - min); a range of 0 gives 0
// Columns no operation names pass through unchanged.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "ml/table.h"

namespace kiln::ml {

class BuiltinStep;

// Two columns combined by a cross feature.
struct ColumnPair {
  std::string left;
  std::string right;
};

// What to do, by operation: the columns each one applies to. A value type.
struct PreprocessSpec {
  std::vector<std::string> impute_mean;
  std::vector<std::string> impute_median;
  std::vector<std::string> impute_most_frequent;
  std::vector<ColumnPair> cross_product;  // "a*b"
  std::vector<ColumnPair> cross_concat;   // "a+b"
  std::vector<std::string> label_encode;
  std::vector<std::string> one_hot;
  std::vector<std::string> standardize;
  std::vector<std::string> minmax;
};

enum class ImputeStrategy : uint8_t { kMean = 0, kMedian = 1, kMostFrequent = 2 };

// "mean", "median" or "most_frequent". Never fails.
const char* ImputeStrategyName(ImputeStrategy strategy);

// The learned fill value of one imputed column. Mean and median fill `number` (the output
// column is float64); most_frequent fills the member matching `type`.
struct ImputeFit {
  std::string column;
  ImputeStrategy strategy = ImputeStrategy::kMean;
  ColumnType type = ColumnType::kFloat64;  // the column's type in training
  double number = 0;
  int64_t integer = 0;
  bool boolean = false;
  std::string text;
};

// The sorted training values of a label-encoded or one-hot column, as CellText (exact for
// int64, bool and string, the only types accepted).
struct CategoriesFit {
  std::string column;
  ColumnType type = ColumnType::kString;
  std::vector<std::string> categories;
};

// Learned (x - mean) / std; `std` is already 1 where the training std was 0.
struct StandardizeFit {
  std::string column;
  double mean = 0;
  double std = 1;
};

// Learned (x - min) / (max - min).
struct MinMaxFit {
  std::string column;
  double min = 0;
  double max = 0;
};

// A column as the chain was fitted on it.
struct ColumnSchema {
  std::string column;
  ColumnType type = ColumnType::kFloat64;
};

// Everything FitPreprocess learned, per operation in spec order. A value type; safe for
// concurrent reads (ApplyPreprocess from many threads).
struct FittedPreprocess {
  std::vector<ImputeFit> impute;  // mean list, then median, then most_frequent
  std::vector<ColumnPair> cross_product;
  std::vector<ColumnPair> cross_concat;
  std::vector<CategoriesFit> label_encode;
  std::vector<CategoriesFit> one_hot;
  std::vector<StandardizeFit> standardize;
  std::vector<MinMaxFit> minmax;
  // The training table's columns (label included), in order; empty in chains written before
  // Kiln recorded them.
  std::vector<ColumnSchema> inputs;
};

// The raw columns the chain's operations read (impute, cross, encode and scale columns), each
// once, in first-use order. Pure.
std::vector<std::string> ChainReadColumns(const FittedPreprocess& fitted);

// Learns every statistic and category list of `spec` from `train` only. Pure; thread-safe.
// Errors: kInvalidArgument for an empty table, a column named twice in one operation or in two
// impute strategies, and the data errors of ApplyPreprocess (missing column, wrong type,
// missing value), plus "column 'x' has no values to fit mean" and non-finite values or
// statistics in numeric columns.
Result<FittedPreprocess> FitPreprocess(const PreprocessSpec& spec, const Table& train);

// A value an encoder (one_hot, label_encode) did not see in training, met by a lenient apply.
struct UnseenCategory {
  std::string column;
  size_t row = 0;  // 0-based
  std::string value;
  bool one_hot = true;  // one_hot: encoded as all zeros; label_encode: as a missing value
  // The training categories, for messages: "blue, red" (20 at most); set on the first unseen
  // value of each column of an apply only (the one a strict caller reports).
  std::string known;
};

// `input` transformed with exactly the fitted values; each output row depends only on the same
// input row. Pure; thread-safe. Errors: kInvalidArgument naming the column (and the 0-based
// row): "column 'sex' is missing", a wrong type, "column 'color' row 2: 'purple' was not seen in
// training (known: blue, red)", a missing value where an operation needs one, an output column
// name that already exists.
Result<Table> ApplyPreprocess(const FittedPreprocess& fitted, const Table& input);

// As above, but a category an encoder did not see in training is no error: one_hot encodes it
// as all zeros, label_encode as a missing value, and each one is appended to `unseen` (in
// operation, column, then row order). The rows of the output are the same bits as the strict
// apply's wherever no unseen value is involved. Errors: as above, without the unseen ones.
Result<Table> ApplyPreprocess(const FittedPreprocess& fitted, const Table& input,
                              std::vector<UnseenCategory>& unseen);

// "column 'color' row 2: 'purple' was not seen in training (known: blue, red)": the strict
// apply's error for `unseen`, the first of its column (kInvalidArgument). Pure.
Status UnseenCategoryError(const UnseenCategory& unseen);

// "row 2: 'purple' is not a known category of 'color' (encoded as all zeros)" ("... as a
// missing value" for label_encode). Pure.
std::string UnseenCategoryWarning(const UnseenCategory& unseen);

// Writes up to `limit` warnings of `unseen` to stderr, one per line (a step's log), and a line
// with the count of the rest. Never fails.
void PrintUnseenCategories(const std::vector<UnseenCategory>& unseen, size_t limit = 20);

// The spec in a builtin step's list params impute_mean, impute_median, impute_most_frequent,
// cross_product ("a*b"), cross_concat ("a+b"), label_encode, one_hot, standardize, minmax
// (absent = []). Errors: kInvalidArgument naming the param and a malformed entry.
Result<PreprocessSpec> PreprocessSpecFromStep(const BuiltinStep& step);

}  // namespace kiln::ml
