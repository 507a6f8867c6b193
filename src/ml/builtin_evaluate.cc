// evaluate: scores a test table with a model package and logs the metrics; writes the
// predictions (a table) and a report (JSON: metrics and, for classifiers, the confusion matrix).
#include <filesystem>
#include <nlohmann/json.hpp>

#include "ml/builtin_impls.h"
#include "ml/features.h"
#include "ml/file_io.h"
#include "ml/metrics.h"
#include "ml/predictor.h"
#include "ml/svg_plots.h"
#include "ml/table_file.h"
#include "ml/table_rows.h"

namespace kiln::ml {
namespace {

using nlohmann::json;

// The actual label first, then the predictions.
Table PredictionTable(const ModelPackage& package, const Column& actual, const Predictions& p) {
  Table out;
  out.AddColumn(actual).IgnoreError();
  const Table predictions = PredictionsTable(package, p);
  for (const Column& column : predictions.columns()) {
    out.AddColumn(column).IgnoreError();  // "predicted" and "p_*" differ from the label's name
  }
  return out;
}

Result<json> Score(const ModelPackage& package, const Column& actual, const Predictions& p) {
  json report;
  if (!package.is_classifier()) {
    KILN_ASSIGN_OR_RETURN(std::vector<float> values, EncodeLabels(actual, {}));
    report["metrics"] = RegressionMetrics(std::vector<double>(values.begin(), values.end()),
                                          std::vector<double>(p.scores.begin(), p.scores.end()));
    return report;
  }
  KILN_ASSIGN_OR_RETURN(std::vector<float> encoded, EncodeLabels(actual, package.classes));
  std::vector<size_t> ids(encoded.begin(), encoded.end());
  report["metrics"] = ClassifierMetrics(ids, p.predicted, p.scores, package.classes.size());
  report["confusion_matrix"] = {
      {"labels", package.classes},
      {"counts", ConfusionMatrix(ids, p.predicted, package.classes.size())}};
  return report;
}

Status WriteText(const std::filesystem::path& path, const std::string& text) {
  return WriteFileAtomically(path.string(), text);
}

// plots/: confusion_matrix.svg and (two classes) roc_curve.svg, or predicted_vs_actual.svg;
// feature_importance.svg when the package has importance.
Status WritePlots(const std::string& dir, const ModelPackage& package, const Column& actual,
                  const Predictions& p, const json& report) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Internal("cannot create '" + dir + "': " + ec.message());
  if (!package.importance.empty()) {
    // Packages written before training named the features carry XGBoost's "f0", "f1", ...
    KILN_RETURN_IF_ERROR(
        WriteText(fs::path(dir) / "feature_importance.svg",
                  BarChartSvg("feature importance (gain)",
                              NameImportance(package.importance, package.features))));
  }
  if (!package.is_classifier()) {
    KILN_ASSIGN_OR_RETURN(std::vector<float> values, EncodeLabels(actual, {}));
    return WriteText(
        fs::path(dir) / "predicted_vs_actual.svg",
        ScatterSvg("predicted vs actual", std::vector<double>(values.begin(), values.end()),
                   std::vector<double>(p.scores.begin(), p.scores.end())));
  }
  KILN_RETURN_IF_ERROR(WriteText(
      fs::path(dir) / "confusion_matrix.svg",
      ConfusionMatrixSvg(
          package.classes,
          report["confusion_matrix"]["counts"].get<std::vector<std::vector<int64_t>>>())));
  if (package.classes.size() != 2) return Status::Ok();
  KILN_ASSIGN_OR_RETURN(std::vector<float> encoded, EncodeLabels(actual, package.classes));
  std::vector<size_t> ids(encoded.begin(), encoded.end());
  std::vector<float> class1;
  for (size_t r = 0; r < p.rows(); ++r) class1.push_back(p.scores[r * 2 + 1]);
  return WriteText(fs::path(dir) / "roc_curve.svg",
                   RocCurveSvg(RocPoints(ids, class1), report["metrics"].value("roc_auc", 0.0)));
}

}  // namespace

Status RunEvaluate(const BuiltinStep& step) {
  KILN_ASSIGN_OR_RETURN(std::string model_dir, step.Input("model"));
  KILN_ASSIGN_OR_RETURN(std::unique_ptr<Predictor> predictor, LoadPredictor(model_dir));
  KILN_ASSIGN_OR_RETURN(std::string test_path, step.Input("test"));
  KILN_ASSIGN_OR_RETURN(Table test, ReadTable(test_path));
  if (test.num_rows() == 0) return InvalidArgument("the test table is empty");
  const ModelPackage& package = predictor->package();
  KILN_ASSIGN_OR_RETURN(const Column* actual, test.Find(package.label));
  KILN_ASSIGN_OR_RETURN(Predictions predictions, predictor->Predict(test));
  if (!predictions.unseen.empty()) {  // scored as serving scores them; said in the step log
    PrintUnseenCategories(predictions.unseen);
    KILN_RETURN_IF_ERROR(
        step.LogMetric("unseen_values", static_cast<double>(predictions.unseen.size())));
  }
  KILN_ASSIGN_OR_RETURN(json report, Score(package, *actual, predictions));
  for (const auto& [key, value] : report["metrics"].items()) {
    KILN_RETURN_IF_ERROR(step.LogMetric(key, value.get<double>()));
  }
  KILN_ASSIGN_OR_RETURN(std::string predictions_path, step.Output("predictions"));
  KILN_RETURN_IF_ERROR(
      WriteTable(PredictionTable(package, *actual, predictions), predictions_path));
  KILN_ASSIGN_OR_RETURN(std::string plots_dir, step.Output("plots"));
  KILN_RETURN_IF_ERROR(WritePlots(plots_dir, package, *actual, predictions, report));
  KILN_ASSIGN_OR_RETURN(std::string report_path, step.Output("report"));
  return WriteFileAtomically(report_path, report.dump(2) + "\n");
}

}  // namespace kiln::ml
