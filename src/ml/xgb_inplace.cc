// XgbBooster::PredictDense: XGBoost's in-place prediction over a float array (the call behind
// Python's Booster.inplace_predict), which serving uses for every request.
#include <xgboost/c_api.h>

#include <cstdint>
#include <string>

#include "ml/xgb_handles.h"

namespace kiln::ml {
namespace {

// One proxy matrix per thread, reused by every in-place prediction on it. Without one, XGBoost
// makes a fresh proxy per call, whose constructor reads the cgroup CPU quota files (four system
// calls a request). In-place prediction writes the data into the proxy, so it must not be
// shared between threads.
class ThreadProxy {
 public:
  ThreadProxy() {
    if (XGProxyDMatrixCreate(&handle_) != 0) handle_ = nullptr;  // then XGBoost makes its own
  }
  ~ThreadProxy() {
    if (handle_ != nullptr) XGDMatrixFree(handle_);
  }
  ThreadProxy(const ThreadProxy&) = delete;
  ThreadProxy& operator=(const ThreadProxy&) = delete;
  DMatrixHandle handle() const { return handle_; }

 private:
  DMatrixHandle handle_ = nullptr;
};

DMatrixHandle ThisThreadProxy() {
  thread_local ThreadProxy proxy;
  return proxy.handle();
}

}  // namespace

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
  if (XGBoosterPredictFromDense(handle_, array.c_str(), config.c_str(), ThisThreadProxy(), &shape,
                                &dims, &result) != 0) {
    return Internal(std::string("xgboost cannot predict: ") + XGBGetLastError());
  }
  bst_ulong count = 1;
  for (bst_ulong d = 0; d < dims; ++d) count *= shape[d];
  // The result lives in a per-thread buffer of the booster: copy it before the next call.
  return std::vector<float>(result, result + count);
}

}  // namespace kiln::ml
