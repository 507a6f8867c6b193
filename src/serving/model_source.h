// ModelSource: what the prediction routes ask for the model that answers a request. The
// server's DeploymentManager is one; `kiln serve` (one fixed model) is another.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "serving/loaded_model.h"

namespace kiln::serving {

// How a deployment treats what it is sent (DeploymentSpec; `kiln serve`'s flags).
struct InputPolicy {
  // Refuse fields that are not model inputs and categories not seen in training (400) instead
  // of ignoring / encoding them with a warning.
  bool strict_inputs = false;
  // Live rows a feature needs before its drift has a level.
  int64_t drift_min_rows = kDefaultDriftMinRows;
};

// The model a request should use.
struct Chosen {
  std::shared_ptr<const LoadedModel> model;
  bool canary = false;
  InputPolicy policy;
};

// A model answering now, with its deployment's name and policy (a canary too).
struct LiveModel {
  std::string deployment;
  std::shared_ptr<const LoadedModel> model;
  InputPolicy policy;
};

class ModelSource {
 public:
  virtual ~ModelSource() = default;
  // The model for the next request of deployment `name`. Errors: kNotFound (no such
  // deployment), kUnavailable (nothing loaded yet). Thread-safe.
  virtual Result<Chosen> Choose(const std::string& name) const = 0;
  // OK when every deployment has a model to answer with; else kUnavailable naming one.
  virtual Status Ready() const = 0;
  // Every model answering now (a canary too). Thread-safe.
  virtual std::vector<LiveModel> Live() const = 0;
};

// One model under one name, loaded up front (`kiln serve`).
class FixedModel : public ModelSource {
 public:
  FixedModel(std::string name, std::shared_ptr<const LoadedModel> model, InputPolicy policy = {})
      : name_(std::move(name)), model_(std::move(model)), policy_(policy) {}
  Result<Chosen> Choose(const std::string& name) const override {
    if (name != name_)
      return NotFound("no deployment '" + name + "' (this replica serves '" + name_ + "')");
    return Chosen{model_, false, policy_};
  }
  Status Ready() const override { return Status::Ok(); }
  std::vector<LiveModel> Live() const override { return {{name_, model_, policy_}}; }

 private:
  std::string name_;
  std::shared_ptr<const LoadedModel> model_;
  InputPolicy policy_;
};

}  // namespace kiln::serving
