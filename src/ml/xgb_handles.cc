#include "ml/xgb_handles.h"

#include <xgboost/c_api.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>

namespace kiln::ml {
namespace {

Status Check(int rc, const char* what) {
  if (rc == 0) return Status::Ok();
  return Internal(std::string("xgboost ") + what + ": " + XGBGetLastError());
}

}  // namespace

Result<XgbMatrix> XgbMatrix::Create(const std::vector<float>& values, size_t rows, size_t cols,
                                    int threads) {
  return Create(values.data(), rows, cols, threads);
}

Result<XgbMatrix> XgbMatrix::Create(const float* values, size_t rows, size_t cols, int threads) {
  // The array-interface entry point, as the Python package uses: the same DMatrix, built the
  // same way, as python3-xgboost builds from a float32 numpy array.
  const std::string array = "{\"data\": [" + std::to_string(reinterpret_cast<uintptr_t>(values)) +
                            ", true], \"shape\": [" + std::to_string(rows) + ", " +
                            std::to_string(cols) + "], \"typestr\": \"<f4\", \"version\": 3}";
  const std::string config = "{\"missing\": NaN, \"nthread\": " + std::to_string(threads) + "}";
  XgbMatrix m;
  DMatrixHandle handle = nullptr;
  KILN_RETURN_IF_ERROR(Check(XGDMatrixCreateFromDense(array.c_str(), config.c_str(), &handle),
                             "cannot create a matrix"));
  m.handle_ = handle;
  return m;
}

XgbMatrix::XgbMatrix(XgbMatrix&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
XgbMatrix& XgbMatrix::operator=(XgbMatrix&& other) noexcept {
  std::swap(handle_, other.handle_);
  return *this;
}
XgbMatrix::~XgbMatrix() {
  if (handle_ != nullptr) XGDMatrixFree(handle_);
}

Status XgbMatrix::SetLabels(const std::vector<float>& labels) {
  return Check(XGDMatrixSetFloatInfo(handle_, "label", labels.data(), labels.size()),
               "cannot set labels");
}

Result<XgbBooster> XgbBooster::Create(const std::vector<const XgbMatrix*>& cache) {
  std::vector<DMatrixHandle> handles;
  for (const XgbMatrix* m : cache) handles.push_back(m->handle());
  XgbBooster b;
  BoosterHandle handle = nullptr;
  KILN_RETURN_IF_ERROR(
      Check(XGBoosterCreate(handles.data(), handles.size(), &handle), "cannot create a booster"));
  b.handle_ = handle;
  return b;
}

Result<XgbBooster> XgbBooster::Load(const std::string& path) {
  XgbBooster b;
  BoosterHandle handle = nullptr;
  KILN_RETURN_IF_ERROR(Check(XGBoosterCreate(nullptr, 0, &handle), "cannot create a booster"));
  b.handle_ = handle;
  KILN_RETURN_IF_ERROR(Check(XGBoosterLoadModel(handle, path.c_str()), "cannot load the model"));
  return b;
}

XgbBooster::XgbBooster(XgbBooster&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)) {}
XgbBooster& XgbBooster::operator=(XgbBooster&& other) noexcept {
  std::swap(handle_, other.handle_);
  return *this;
}
XgbBooster::~XgbBooster() {
  if (handle_ != nullptr) XGBoosterFree(handle_);
}

Status XgbBooster::SetParam(const std::string& name, const std::string& value) {
  return Check(XGBoosterSetParam(handle_, name.c_str(), value.c_str()),
               ("cannot set param " + name).c_str());
}

Status XgbBooster::UpdateOneIter(int iteration, const XgbMatrix& train) {
  return Check(XGBoosterUpdateOneIter(handle_, iteration, train.handle()), "training failed");
}

Result<std::string> XgbBooster::EvalOneIter(int iteration,
                                            const std::vector<const XgbMatrix*>& matrices,
                                            const std::vector<std::string>& names) {
  std::vector<DMatrixHandle> handles;
  std::vector<const char*> name_ptrs;
  for (const XgbMatrix* m : matrices) handles.push_back(m->handle());
  for (const std::string& n : names) name_ptrs.push_back(n.c_str());
  const char* out = nullptr;
  KILN_RETURN_IF_ERROR(Check(XGBoosterEvalOneIter(handle_, iteration, handles.data(),
                                                  name_ptrs.data(), handles.size(), &out),
                             "evaluation failed"));
  return std::string(out);
}

Result<std::vector<float>> XgbBooster::Predict(const XgbMatrix& data, int iteration_end) const {
  const std::string config =
      "{\"type\": 0, \"training\": false, \"iteration_begin\": 0, "
      "\"iteration_end\": " +
      std::to_string(iteration_end) + ", \"strict_shape\": false}";
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  KILN_RETURN_IF_ERROR(Check(
      XGBoosterPredictFromDMatrix(handle_, data.handle(), config.c_str(), &shape, &dim, &result),
      "prediction failed"));
  size_t size = 1;
  for (bst_ulong i = 0; i < dim; ++i) size *= shape[i];
  return std::vector<float>(result, result + size);
}

Status XgbBooster::Save(const std::string& path) const {
  return Check(XGBoosterSaveModel(handle_, path.c_str()), "cannot save the model");
}

Result<int> XgbBooster::Rounds() const {
  int rounds = 0;
  KILN_RETURN_IF_ERROR(Check(XGBoosterBoostedRounds(handle_, &rounds), "cannot count rounds"));
  return rounds;
}

Result<XgbBooster> XgbBooster::Slice(int end_round) const {
  XgbBooster b;
  BoosterHandle handle = nullptr;
  KILN_RETURN_IF_ERROR(
      Check(XGBoosterSlice(handle_, 0, end_round, 1, &handle), "cannot slice the model"));
  b.handle_ = handle;
  return b;
}

Result<std::vector<std::pair<std::string, double>>> XgbBooster::GainImportance() const {
  const char* config = "{\"importance_type\": \"total_gain\"}";
  bst_ulong n_features = 0, dim = 0;
  const char** features = nullptr;
  const bst_ulong* shape = nullptr;
  const float* scores = nullptr;
  KILN_RETURN_IF_ERROR(
      Check(XGBoosterFeatureScore(handle_, config, &n_features, &features, &dim, &shape, &scores),
            "cannot compute feature importance"));
  std::vector<std::pair<std::string, double>> out;
  for (bst_ulong i = 0; i < n_features; ++i) out.emplace_back(features[i], scores[i]);
  return out;
}

}  // namespace kiln::ml
