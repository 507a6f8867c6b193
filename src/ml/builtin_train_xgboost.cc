// train-xgboost: gradient-boosted trees through the XGBoost C API, with optional early stopping
// on a validation table; writes a model package (ml/model_package.h).
#include <cmath>
#include <filesystem>
#include <new>
#include <optional>
#include <sstream>

#include "ml/builtin_impls.h"
#include "ml/features.h"
#include "ml/file_features.h"
#include "ml/huge_page_buffer.h"
#include "ml/model_package.h"
#include "ml/table_file_view.h"
#include "ml/train_common.h"
#include "ml/xgb_handles.h"

namespace kiln::ml {
namespace {

namespace fs = std::filesystem;

struct Prepared {
  XgbMatrix matrix;
  size_t rows = 0;
};

// The labels and features of `table` as an XGBoost matrix. The features go from the file's
// columns to one float matrix without copying the table.
Result<Prepared> Prepare(const TableFileView& table, const ModelPackage& package, int threads) {
  KILN_ASSIGN_OR_RETURN(size_t label_index, table.IndexOf(package.label));
  const std::vector<std::string> classes =
      package.is_classifier() ? package.classes : std::vector<std::string>{};
  KILN_ASSIGN_OR_RETURN(Column label, table.CopyColumn(label_index));
  KILN_ASSIGN_OR_RETURN(std::vector<float> labels, EncodeLabels(label, classes));
  std::vector<size_t> columns;
  for (const std::string& name : package.features) {
    KILN_ASSIGN_OR_RETURN(size_t i, table.IndexOf(name));
    KILN_RETURN_IF_ERROR(CheckNumericFeature(name, table.type(i)));
    columns.push_back(i);
  }
  const size_t rows = table.num_rows(), cols = columns.size();
  KILN_ASSIGN_OR_RETURN(HugePageBuffer buffer,
                        HugePageBuffer::Allocate(rows * cols * sizeof(float)));
  float* values = reinterpret_cast<float*>(buffer.data());
  KILN_RETURN_IF_ERROR(ReadFeatureMatrix(table, columns, threads, values));
  KILN_ASSIGN_OR_RETURN(XgbMatrix matrix, XgbMatrix::Create(values, rows, cols, threads));
  KILN_RETURN_IF_ERROR(matrix.SetLabels(labels));
  return Prepared{std::move(matrix), rows};
}

Status OutOfMemory(const std::string& path) {
  return ResourceExhausted("not enough memory to train on '" + path + "'");
}

Result<Prepared> PrepareFile(const std::string& path, const ModelPackage& package, int threads) {
  try {
    KILN_ASSIGN_OR_RETURN(TableFileView table, TableFileView::Open(path));
    return Prepare(table, package, threads);
  } catch (const std::bad_alloc&) {
    return OutOfMemory(path);
  }
}

// The boosting params, as XGBoost names them, from the step's params.
Result<std::vector<std::pair<std::string, std::string>>> BoosterParams(const BuiltinStep& step,
                                                                       const ModelPackage& p) {
  std::vector<std::pair<std::string, std::string>> out;
  auto number = [&](const char* name, const char* xgb_name) -> Status {
    KILN_ASSIGN_OR_RETURN(double value, step.Float(name));
    std::ostringstream text;
    text.precision(17);
    text << value;
    out.emplace_back(xgb_name, text.str());
    return Status::Ok();
  };
  KILN_RETURN_IF_ERROR(number("max_depth", "max_depth"));
  KILN_RETURN_IF_ERROR(number("eta", "eta"));
  KILN_RETURN_IF_ERROR(number("subsample", "subsample"));
  KILN_RETURN_IF_ERROR(number("colsample_bytree", "colsample_bytree"));
  KILN_RETURN_IF_ERROR(number("min_child_weight", "min_child_weight"));
  KILN_RETURN_IF_ERROR(number("lambda", "lambda"));
  KILN_RETURN_IF_ERROR(number("alpha", "alpha"));
  KILN_RETURN_IF_ERROR(number("seed", "seed"));
  KILN_RETURN_IF_ERROR(number("nthread", "nthread"));
  out.emplace_back("tree_method", "hist");
  if (p.task == "binary") {
    out.emplace_back("objective", "binary:logistic");
    out.emplace_back("eval_metric", "logloss");
  } else if (p.task == "multiclass") {
    out.emplace_back("objective", "multi:softprob");
    out.emplace_back("num_class", std::to_string(p.classes.size()));
    out.emplace_back("eval_metric", "mlogloss");
  } else {
    out.emplace_back("objective", "reg:squarederror");
    out.emplace_back("eval_metric", "rmse");
  }
  return out;
}

// The metric value at the end of an evaluation line "[3]\tvalid-mlogloss:0.12".
double LastMetric(const std::string& line) {
  const size_t colon = line.rfind(':');
  return colon == std::string::npos ? NAN : std::strtod(line.c_str() + colon + 1, nullptr);
}

struct Boosted {
  int64_t rounds = 0;          // rounds trained
  int64_t best_iteration = 0;  // early stopping: rounds up to the best; 0 = not used
  double valid = NAN;          // the validation metric of the model kept
};

// Trains round by round. With a validation table each round's metric is logged as a history
// (step = round, from 0), so the run shows a learning curve; with early stopping, training
// stops `patience` rounds after the best one.
Result<Boosted> Boost(const BuiltinStep& step, XgbBooster& booster, const Prepared& train,
                      const Prepared* valid, const std::string& metric) {
  KILN_ASSIGN_OR_RETURN(int64_t rounds, step.Int("num_rounds"));
  KILN_ASSIGN_OR_RETURN(int64_t patience, step.Int("early_stopping_rounds"));
  if (patience > 0 && valid == nullptr) {
    return InvalidArgument("param 'early_stopping_rounds' needs the 'validation' input");
  }
  Boosted out;
  int64_t best_round = -1;
  double best_value = NAN;
  for (int64_t i = 0; i < rounds; ++i) {
    KILN_RETURN_IF_ERROR(booster.UpdateOneIter(static_cast<int>(i), train.matrix));
    out.rounds = i + 1;
    if (valid == nullptr) continue;
    KILN_ASSIGN_OR_RETURN(std::string line,
                          booster.EvalOneIter(static_cast<int>(i), {&valid->matrix}, {"valid"}));
    out.valid = LastMetric(line);
    KILN_RETURN_IF_ERROR(step.LogMetric(metric, out.valid, i));
    if (best_round < 0 || out.valid < best_value) {
      best_value = out.valid;
      best_round = i;
    } else if (patience > 0 && i - best_round >= patience) {
      break;
    }
  }
  if (patience > 0) {
    out.best_iteration = best_round + 1;
    out.valid = best_value;
  }
  return out;
}

// The booster to save: with early stopping, only the rounds up to the best, so model.json is
// exactly the model Kiln scores, for any tool that loads it.
Result<XgbBooster> KeptModel(XgbBooster trained, const Boosted& boosted) {
  if (boosted.best_iteration == 0 || boosted.best_iteration == boosted.rounds) return trained;
  return trained.Slice(static_cast<int>(boosted.best_iteration));
}

struct Training {
  ModelPackage package;
  Prepared train;
};

// The package description and training matrix from the "train" input; the file is closed and
// the float matrix freed before boosting starts.
Result<Training> LoadTraining(const BuiltinStep& step, int threads) {
  KILN_ASSIGN_OR_RETURN(std::string path, step.Input("train"));
  try {
    KILN_ASSIGN_OR_RETURN(TableFileView table, TableFileView::Open(path));
    if (table.num_rows() == 0) return InvalidArgument("the training table is empty");
    KILN_ASSIGN_OR_RETURN(ModelPackage package, DescribeModel(step, SchemaOf(table)));
    KILN_ASSIGN_OR_RETURN(Prepared train, Prepare(table, package, threads));
    return Training{std::move(package), std::move(train)};
  } catch (const std::bad_alloc&) {
    return OutOfMemory(path);
  }
}

}  // namespace

Status RunTrainXgboost(const BuiltinStep& step) {
  KILN_ASSIGN_OR_RETURN(int64_t threads, step.Int("nthread"));
  KILN_ASSIGN_OR_RETURN(Training training, LoadTraining(step, static_cast<int>(threads)));
  ModelPackage& package = training.package;
  const Prepared& train = training.train;
  std::optional<Prepared> valid;
  if (step.HasInput("validation")) {
    KILN_ASSIGN_OR_RETURN(std::string path, step.Input("validation"));
    KILN_ASSIGN_OR_RETURN(valid, PrepareFile(path, package, static_cast<int>(threads)));
  }
  std::vector<const XgbMatrix*> cache = {&train.matrix};
  if (valid) cache.push_back(&valid->matrix);
  KILN_ASSIGN_OR_RETURN(XgbBooster booster, XgbBooster::Create(cache));
  KILN_ASSIGN_OR_RETURN(auto params, BoosterParams(step, package));
  for (const auto& [name, value] : params) {
    KILN_RETURN_IF_ERROR(booster.SetParam(name, value));
    package.params[name] = value;
  }
  const std::string metric = "valid_" + params.back().second;
  KILN_ASSIGN_OR_RETURN(Boosted boosted,
                        Boost(step, booster, train, valid ? &*valid : nullptr, metric));
  package.best_iteration = boosted.best_iteration;
  KILN_ASSIGN_OR_RETURN(XgbBooster kept, KeptModel(std::move(booster), boosted));
  KILN_ASSIGN_OR_RETURN(int kept_rounds, kept.Rounds());
  package.model_rounds = kept_rounds;
  if (valid) {
    package.metrics[metric] = boosted.valid;
    // Stopped past the best: the latest value (one step after the last round, as MLflow's
    // autolog does) is the kept model's, not the last round's.
    if (boosted.best_iteration > 0 && boosted.best_iteration < boosted.rounds) {
      KILN_RETURN_IF_ERROR(step.LogMetric(metric, boosted.valid, boosted.rounds));
    }
  }
  KILN_RETURN_IF_ERROR(
      step.LogMetric("best_iteration", static_cast<double>(boosted.best_iteration)));
  KILN_ASSIGN_OR_RETURN(auto importance, kept.GainImportance());
  package.importance = NameImportance(std::move(importance), package.features);
  KILN_ASSIGN_OR_RETURN(std::string dir, step.Output("model"));
  KILN_RETURN_IF_ERROR(ShipPreprocess(step, dir, package));
  KILN_RETURN_IF_ERROR(kept.Save((fs::path(dir) / kPackageModel).string()));
  return WritePackageManifest(package, dir);
}

}  // namespace kiln::ml
