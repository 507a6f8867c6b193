#include "ml/xgb_forest.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

namespace kiln::ml {
namespace {

using nlohmann::json;

// XGBoost writes its parameters as strings ("5E-1", "3").
double NumberParam(const json& object, const char* key, double fallback) {
  if (!object.contains(key)) return fallback;
  const json& v = object[key];
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) return std::stod(v.get<std::string>());
  return fallback;
}

bool AllZero(const json& list) {
  if (!list.is_array()) return true;
  return std::all_of(list.begin(), list.end(), [](const json& v) { return v.get<int64_t>() == 0; });
}

}  // namespace

Result<XgbForest> XgbForest::Load(const std::string& path, int iteration_end) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument("cannot read " + path);
  json model = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (model.is_discarded()) return InvalidArgument(path + " is not JSON");
  try {
    const json& learner = model.at("learner");
    const json& booster = learner.at("gradient_booster");
    if (booster.at("name") != "gbtree") return FailedPrecondition("not a gbtree booster");
    const json& param = learner.at("learner_model_param");
    const std::string objective = learner.at("objective").at("name").get<std::string>();
    const double base_score = NumberParam(param, "base_score", 0.5);
    XgbForest forest;
    forest.outputs_ = static_cast<size_t>(std::max(1.0, NumberParam(param, "num_class", 0)));
    if (NumberParam(param, "num_target", 1) != 1) return FailedPrecondition("several targets");
    // The booster's base score is a probability for logistic objectives, a margin otherwise.
    if (objective == "multi:softprob") {
      forest.transform_ = Transform::kSoftmax;
      forest.base_margin_ = static_cast<float>(base_score);
    } else if (objective == "binary:logistic" && forest.outputs_ == 1) {
      forest.transform_ = Transform::kSigmoid;
      forest.base_margin_ = -std::log(1.0f / static_cast<float>(base_score) - 1.0f);
    } else if (objective == "reg:squarederror" && forest.outputs_ == 1) {
      forest.base_margin_ = static_cast<float>(base_score);
    } else {
      return FailedPrecondition("objective " + objective);
    }
    const json& gbtree = booster.at("model");
    const json& trees = gbtree.at("trees");
    const json& info = gbtree.at("tree_info");
    const double per_round =
        NumberParam(gbtree.at("gbtree_model_param"), "num_parallel_tree", 1) * forest.outputs_;
    size_t count = trees.size();
    if (iteration_end > 0) {
      count = std::min(count, static_cast<size_t>(iteration_end * per_round));
    }
    for (size_t t = 0; t < count; ++t) {
      const json& tree = trees[t];
      if (!AllZero(tree.at("split_type"))) return FailedPrecondition("categorical splits");
      if (NumberParam(tree.at("tree_param"), "size_leaf_vector", 0) != 0) {
        return FailedPrecondition("vector leaves");
      }
      const auto left = tree.at("left_children").get<std::vector<int32_t>>();
      const auto right = tree.at("right_children").get<std::vector<int32_t>>();
      const auto feature = tree.at("split_indices").get<std::vector<uint32_t>>();
      const auto value = tree.at("split_conditions").get<std::vector<float>>();
      const auto default_left = tree.at("default_left").get<std::vector<uint32_t>>();
      const size_t n = left.size();
      if (n == 0 || right.size() != n || feature.size() != n || value.size() != n ||
          default_left.size() != n) {
        return InvalidArgument("tree " + std::to_string(t) + " is malformed");
      }
      const auto offset = static_cast<int32_t>(forest.nodes_.size());
      for (size_t i = 0; i < n; ++i) {
        const bool leaf = left[i] < 0;
        if (!leaf && (left[i] >= static_cast<int32_t>(n) || right[i] < 0 ||
                      right[i] >= static_cast<int32_t>(n))) {
          return InvalidArgument("tree " + std::to_string(t) + " is malformed");
        }
        forest.nodes_.push_back({leaf ? -1 : offset + left[i], leaf ? -1 : offset + right[i],
                                 feature[i], default_left[i] != 0 ? 1u : 0u, value[i]});
        if (!leaf) forest.columns_ = std::max<size_t>(forest.columns_, feature[i] + 1);
      }
      const auto group = info.at(t).get<uint32_t>();
      if (group >= forest.outputs_) return InvalidArgument("tree group out of range");
      forest.roots_.push_back(static_cast<uint32_t>(offset));
      forest.groups_.push_back(group);
    }
    return forest;
  } catch (const std::exception& e) {
    return InvalidArgument(path + " is not an XGBoost model: " + e.what());
  }
}

float XgbForest::Walk(uint32_t root, const float* row) const {
  const Node* node = &nodes_[root];
  while (node->left >= 0) {
    const float v = row[node->feature];
    // As XGBoost: missing follows the default branch, otherwise left when below the threshold.
    const bool go_left = std::isnan(v) ? node->default_left != 0 : v < node->value;
    node = &nodes_[go_left ? node->left : node->right];
  }
  return node->value;
}

void XgbForest::Predict(const float* values, size_t rows, size_t cols,
                        std::vector<float>& out) const {
  out.assign(rows * outputs_, base_margin_);
  for (size_t r = 0; r < rows; ++r) {
    const float* row = values + r * cols;
    float* margins = out.data() + r * outputs_;
    // Tree by tree in model order, summing in float: the order and precision XGBoost uses.
    for (size_t t = 0; t < roots_.size(); ++t) margins[groups_[t]] += Walk(roots_[t], row);
    if (transform_ == Transform::kSigmoid) {
      margins[0] = 1.0f / (1.0f + std::exp(-margins[0]));
    } else if (transform_ == Transform::kSoftmax) {
      float top = margins[0];
      for (size_t g = 1; g < outputs_; ++g) top = std::max(top, margins[g]);
      double sum = 0;
      for (size_t g = 0; g < outputs_; ++g) {
        margins[g] = std::exp(margins[g] - top);
        sum += margins[g];
      }
      for (size_t g = 0; g < outputs_; ++g) margins[g] /= static_cast<float>(sum);
    }
  }
}

std::vector<float> XgbForest::Thresholds(size_t column) const {
  std::vector<float> out;
  for (const Node& node : nodes_) {
    if (node.left >= 0 && node.feature == column) out.push_back(node.value);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace kiln::ml
