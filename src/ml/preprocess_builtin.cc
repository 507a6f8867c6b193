// preprocess: fits the chain on `train`, applies it to `train` and `test`, and writes the chain
// as JSON so serving can re-apply exactly the same values.
#include <cstdio>

#include "ml/builtin_impls.h"
#include "ml/file_io.h"
#include "ml/preprocess.h"
#include "ml/preprocess_json.h"
#include "ml/table_file.h"
#include "ml/training_profile.h"

namespace kiln::ml {
namespace {

// `status` with the input's user-facing name in front of its message.
Status Labelled(const BuiltinStep& step, const std::string& input, const Status& status) {
  return Status(status.code(), step.InputLabel(input) + ": " + status.message());
}

// Input `name` through the chain, as serving applies it: a category not seen in training is
// encoded (and counted in the metric NAME_unseen_values, each one said in the step log).
Result<Table> Transformed(const BuiltinStep& step, const FittedPreprocess& fitted,
                          const std::string& name) {
  KILN_ASSIGN_OR_RETURN(std::string path, step.Input(name));
  KILN_ASSIGN_OR_RETURN(Table input, ReadTable(path));
  std::vector<UnseenCategory> unseen;
  Result<Table> output = ApplyPreprocess(fitted, input, unseen);
  if (!output.ok()) return Labelled(step, name, output.status());
  if (!unseen.empty()) {
    std::fprintf(stderr, "%s:\n", step.InputLabel(name).c_str());
    PrintUnseenCategories(unseen);
    KILN_RETURN_IF_ERROR(
        step.LogMetric(name + "_unseen_values", static_cast<double>(unseen.size())));
  }
  return output;
}

Status WriteOutput(const BuiltinStep& step, const std::string& name, const Table& table) {
  KILN_ASSIGN_OR_RETURN(std::string path, step.Output(name));
  KILN_RETURN_IF_ERROR(WriteTable(table, path));
  KILN_RETURN_IF_ERROR(step.LogMetric(name + "_rows", static_cast<double>(table.num_rows())));
  return step.LogMetric(name + "_columns", static_cast<double>(table.num_columns()));
}

}  // namespace

Status RunPreprocess(const BuiltinStep& step) {
  KILN_ASSIGN_OR_RETURN(PreprocessSpec spec, PreprocessSpecFromStep(step));
  KILN_ASSIGN_OR_RETURN(std::string train_path, step.Input("train"));
  KILN_ASSIGN_OR_RETURN(Table train, ReadTable(train_path));
  Result<FittedPreprocess> fitted = FitPreprocess(spec, train);
  if (!fitted.ok()) return Labelled(step, "train", fitted.status());
  KILN_ASSIGN_OR_RETURN(Table train_out, Transformed(step, *fitted, "train"));
  KILN_ASSIGN_OR_RETURN(Table test_out, Transformed(step, *fitted, "test"));
  KILN_ASSIGN_OR_RETURN(std::string text, PreprocessJsonText(*fitted));
  // The raw training columns' profile rides along, for the model package (drift at serving).
  KILN_ASSIGN_OR_RETURN(nlohmann::json profile, ProfileColumns(train, train.ColumnNames()));
  nlohmann::json chain = nlohmann::json::parse(text);
  chain["profile"] = std::move(profile);
  text = chain.dump(2) + "\n";
  KILN_ASSIGN_OR_RETURN(std::string chain_path, step.Output("preprocess"));
  KILN_RETURN_IF_ERROR(WriteOutput(step, "train", train_out));
  KILN_RETURN_IF_ERROR(WriteOutput(step, "test", test_out));
  return WriteFileAtomically(chain_path, text);
}

}  // namespace kiln::ml
