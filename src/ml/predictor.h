// Scoring tables with a model package, whatever its flavor: the same code serves the evaluation
// step, `kiln models predict` and deployments, so they agree to the bit.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "ml/model_package.h"
#include "ml/preprocess.h"
#include "ml/table.h"

namespace kiln::ml {

struct Predictions {
  size_t width = 1;               // classifiers: one probability per class; regression: 1
  std::vector<float> scores;      // rows x width, row-major
  std::vector<size_t> predicted;  // classifiers: the most probable class of each row
  // Values the package's encoders did not see in training, encoded leniently (see
  // ApplyPreprocess); empty in the common case. Callers wanting strictness refuse them.
  std::vector<UnseenCategory> unseen;

  size_t rows() const { return width == 0 ? 0 : scores.size() / width; }
};

// Fills `predicted` with each row's most probable class (the first on ties).
void PickClasses(Predictions& predictions);

// Predictions as a table: `predicted` (the class label, or the value for regression) and, for
// classifiers, one `p_<class>` probability column per class.
Table PredictionsTable(const ModelPackage& package, const Predictions& predictions);

// A loaded model package. Predict is const and safe to call from several threads at once.
class Predictor {
 public:
  virtual ~Predictor() = default;

  virtual const ModelPackage& package() const = 0;
  // Scores `table`: raw rows when the package holds a preprocessing chain (applied here, exactly
  // as fitted, leniently: categories not seen in training are encoded and listed in
  // Predictions::unseen), otherwise rows with the package's feature columns. Errors:
  // kInvalidArgument naming a missing, mistyped or string column or a missing value the model
  // cannot take; kUnavailable when an out-of-process model (flavor python) could not answer
  // this time.
  virtual Result<Predictions> Predict(const Table& table) const = 0;
};

// Loads the package in `dir` with the predictor its flavor names (flavor python starts worker
// processes, ml/python_predictor.h). Errors: kInvalidArgument (not a package, unknown flavor, a
// bad model or chain file, naming it), kUnavailable (no Python interpreter), kInternal.
Result<std::unique_ptr<Predictor>> LoadPredictor(const std::string& dir);

// The package's fitted preprocessing chain, if it has one. Errors: kInvalidArgument naming
// preprocess.json.
Result<std::optional<FittedPreprocess>> LoadPackageChain(const std::string& dir,
                                                         const ModelPackage& package);

// `rows` run leniently through `chain` when there is one (the result lives in `storage`, the
// unseen categories are appended to `unseen`), else `rows`.
Result<const Table*> ApplyChain(const std::optional<FittedPreprocess>& chain, const Table& rows,
                                std::optional<Table>& storage, std::vector<UnseenCategory>& unseen);

}  // namespace kiln::ml
