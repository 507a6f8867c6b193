// XgbBooster::PredictDense: XGBoost's in-place prediction over a float array (the call behind
// Python's Booster.inplace_predict), which serving uses for every request.
#include <xgboost/c_api.h>

#include <cstdint>
#include <string>

#include "ml/xgb_handles.h"

namespace kiln::ml {

Result<std::vector<float>> XgbBooster::PredictDense(const std::vector<float>& values, size_t rows,
                                                    size_t cols, int iteration_end) const {
  const std::string array = "{\"data\": [" +
                            std::to_string(reinterpret_cast<uintptr_t>(values.data())) +
                            ", true], \"shape\": [" + std::to_string(rows) + ", " +
                            std::to_string(cols) + "], \"typestr\": \"<f4\", \"version\": 3}";
  const std::string config =
      "{\"type\": 0, \"training\": false, \"iteration_begin\": 0, \"iteration_end\": " +
      std::to_string(iteration_end) +
      ", \"strict_shape\": false, \"missing\": NaN, \"cache_id\": 0}";
  const bst_ulong* shape = nullptr;
  bst_ulong dims = 0;
  const float* result = nullptr;
  if (XGBoosterPredictFromDense(handle_, array.c_str(), config.c_str(), nullptr, &shape, &dims,
                                &result) != 0) {
    return Internal(std::string("xgboost cannot predict: ") + XGBGetLastError());
  }
  bst_ulong count = 1;
  for (bst_ulong d = 0; d < dims; ++d) count *= shape[d];
  // The result lives in a per-thread buffer of the booster: copy it before the next call.
  return std::vector<float>(result, result + count);
}

}  // namespace kiln::ml
