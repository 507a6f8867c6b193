// PreprocessSpecFromStep: the preprocess builtin's list params as a PreprocessSpec.
#include "ml/builtin_step.h"
#include "ml/preprocess.h"

namespace kiln::ml {
namespace {

// "a*b" -> {a, b}, split at the first `op`. Errors: kInvalidArgument naming param and entry.
Result<std::vector<ColumnPair>> Pairs(const BuiltinStep& step, const std::string& param, char op) {
  KILN_ASSIGN_OR_RETURN(std::vector<std::string> entries, step.StringList(param));
  std::vector<ColumnPair> pairs;
  for (const std::string& entry : entries) {
    const size_t at = entry.find(op);
    if (at == std::string::npos || at == 0 || at + 1 == entry.size()) {
      return InvalidArgument("param '" + param + "' entry '" + entry + "' is not of the form a" +
                             op + "b");
    }
    pairs.push_back({entry.substr(0, at), entry.substr(at + 1)});
  }
  return pairs;
}

}  // namespace

Result<PreprocessSpec> PreprocessSpecFromStep(const BuiltinStep& step) {
  PreprocessSpec spec;
  KILN_ASSIGN_OR_RETURN(spec.impute_mean, step.StringList("impute_mean"));
  KILN_ASSIGN_OR_RETURN(spec.impute_median, step.StringList("impute_median"));
  KILN_ASSIGN_OR_RETURN(spec.impute_most_frequent, step.StringList("impute_most_frequent"));
  KILN_ASSIGN_OR_RETURN(spec.cross_product, Pairs(step, "cross_product", '*'));
  KILN_ASSIGN_OR_RETURN(spec.cross_concat, Pairs(step, "cross_concat", '+'));
  KILN_ASSIGN_OR_RETURN(spec.label_encode, step.StringList("label_encode"));
  KILN_ASSIGN_OR_RETURN(spec.one_hot, step.StringList("one_hot"));
  KILN_ASSIGN_OR_RETURN(spec.standardize, step.StringList("standardize"));
  KILN_ASSIGN_OR_RETURN(spec.minmax, step.StringList("minmax"));
  return spec;
}

}  // namespace kiln::ml
