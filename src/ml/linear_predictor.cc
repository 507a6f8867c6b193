#include "ml/linear_predictor.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "ml/file_io.h"

namespace kiln::ml {

Status SaveLinearModel(const LinearModel& model, const std::string& path) {
  return WriteFileAtomically(path, LinearModelToJson(model).dump(1) + "\n");
}

Result<std::unique_ptr<Predictor>> LinearPredictor::Load(const std::string& dir,
                                                         ModelPackage package) {
  const std::string path = (std::filesystem::path(dir) / kPackageModel).string();
  KILN_ASSIGN_OR_RETURN(FileBytes bytes, ReadFileBytes(path));
  nlohmann::json json = nlohmann::json::parse(bytes.view(), nullptr, /*allow_exceptions=*/false);
  Result<LinearModel> model = LinearModelFromJson(json);
  if (!model.ok()) return InvalidArgument(path + ": " + model.status().message());
  const size_t outputs = package.task == "multiclass" ? package.classes.size() : 1;
  if (model->outputs() != outputs || model->coef[0].size() != package.features.size()) {
    return InvalidArgument(path + ": the weights do not match the package's " +
                           std::to_string(package.features.size()) + " features and task " +
                           package.task);
  }
  KILN_ASSIGN_OR_RETURN(std::optional<FittedPreprocess> chain, LoadPackageChain(dir, package));
  return std::unique_ptr<Predictor>(
      new LinearPredictor(std::move(package), std::move(*model), std::move(chain)));
}

Result<Predictions> LinearPredictor::Predict(const Table& rows) const {
  std::optional<Table> storage;
  Predictions out;
  KILN_ASSIGN_OR_RETURN(const Table* table, ApplyChain(chain_, rows, storage, out.unseen));
  KILN_ASSIGN_OR_RETURN(DenseMatrix x, DesignMatrix(*table, package_.features));
  const std::vector<double> scores = LinearScores(model_, x);
  out.scores.assign(scores.begin(), scores.end());
  if (!package_.is_classifier()) return out;
  out.width = package_.classes.size();
  PickClasses(out);
  return out;
}

}  // namespace kiln::ml
