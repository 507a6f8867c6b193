// train-linear: ridge regression or L2-penalized logistic regression (ml/linear_model.h); writes
// a model package with flavor linear.
#include <filesystem>
#include <iostream>

#include "ml/builtin_impls.h"
#include "ml/features.h"
#include "ml/linear_predictor.h"
#include "ml/table_file.h"
#include "ml/train_common.h"

namespace kiln::ml {
namespace {

Result<LinearModel> Fit(const BuiltinStep& step, const ModelPackage& package, const Table& train,
                        const DenseMatrix& x) {
  KILN_ASSIGN_OR_RETURN(double l2, step.Float("l2"));
  KILN_ASSIGN_OR_RETURN(const Column* label, train.Find(package.label));
  KILN_ASSIGN_OR_RETURN(std::vector<float> encoded, EncodeLabels(*label, package.classes));
  if (!package.is_classifier()) {
    // Regression targets as doubles, not through the float encoding.
    std::vector<double> y(x.rows);
    for (size_t r = 0; r < x.rows; ++r) {
      if (!label->IsValid(r)) {
        return InvalidArgument("label column '" + label->name() + "' is missing a value at row " +
                               std::to_string(r + 1));
      }
      y[r] = label->type() == ColumnType::kFloat64 ? label->doubles()[r]
             : label->type() == ColumnType::kInt64 ? static_cast<double>(label->ints()[r])
                                                   : static_cast<double>(encoded[r]);
    }
    return FitRidge(x, y, l2);
  }
  LogisticOptions options;
  options.l2 = l2;
  KILN_ASSIGN_OR_RETURN(int64_t max_iter, step.Int("max_iter"));
  options.max_iter = static_cast<int>(max_iter);
  KILN_ASSIGN_OR_RETURN(options.tol, step.Float("tol"));
  const std::vector<size_t> ids(encoded.begin(), encoded.end());
  return FitLogistic(x, ids, package.classes.size(), options);
}

}  // namespace

Status RunTrainLinear(const BuiltinStep& step) {
  KILN_ASSIGN_OR_RETURN(std::string train_path, step.Input("train"));
  KILN_ASSIGN_OR_RETURN(Table train, ReadTable(train_path));
  if (train.num_rows() == 0) return InvalidArgument("the training table is empty");
  KILN_ASSIGN_OR_RETURN(ModelPackage package, DescribeModel(step, SchemaOf(train)));
  package.flavor = kFlavorLinear;
  KILN_ASSIGN_OR_RETURN(DenseMatrix x, DesignMatrix(train, package.features));
  KILN_ASSIGN_OR_RETURN(LinearModel model, Fit(step, package, train, x));
  if (!model.converged) {
    std::cerr << "warning: logistic regression did not converge in " << model.iterations
              << " iterations (raise max_iter or l2)\n";
  }
  package.params = {{"l2", model.l2}, {"link", LinearModelToJson(model)["link"]}};
  KILN_RETURN_IF_ERROR(step.LogMetric("iterations", model.iterations));
  for (size_t c = 0; c < package.features.size(); ++c) {  // importance: the largest |weight|
    double largest = 0;
    for (const auto& row : model.coef) largest = std::max(largest, std::abs(row[c]));
    package.importance.emplace_back(package.features[c], largest);
  }
  KILN_ASSIGN_OR_RETURN(std::string dir, step.Output("model"));
  KILN_RETURN_IF_ERROR(ShipPreprocess(step, dir, package));
  KILN_RETURN_IF_ERROR(
      SaveLinearModel(model, (std::filesystem::path(dir) / kPackageModel).string()));
  return WritePackageManifest(package, dir);
}

}  // namespace kiln::ml
