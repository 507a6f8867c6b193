// ModelSource: what the prediction routes ask for the model that answers a request. The
// server's DeploymentManager is one; `kiln serve` (one fixed model) is another.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "serving/loaded_model.h"

namespace kiln::serving {

// The model a request should use.
struct Chosen {
  std::shared_ptr<const LoadedModel> model;
  bool canary = false;
};

class ModelSource {
 public:
  virtual ~ModelSource() = default;
  // The model for the next request of deployment `name`. Errors: kNotFound (no such
  // deployment), kUnavailable (nothing loaded yet). Thread-safe.
  virtual Result<Chosen> Choose(const std::string& name) const = 0;
  // OK when every deployment has a model to answer with; else kUnavailable naming one.
  virtual Status Ready() const = 0;
  // Every model answering now, with its deployment's name (a canary too). Thread-safe.
  virtual std::vector<std::pair<std::string, std::shared_ptr<const LoadedModel>>> Live() const = 0;
};

// One model under one name, loaded up front (`kiln serve`).
class FixedModel : public ModelSource {
 public:
  FixedModel(std::string name, std::shared_ptr<const LoadedModel> model)
      : name_(std::move(name)), model_(std::move(model)) {}
  Result<Chosen> Choose(const std::string& name) const override {
    if (name != name_)
      return NotFound("no deployment '" + name + "' (this replica serves '" + name_ + "')");
    return Chosen{model_, false};
  }
  Status Ready() const override { return Status::Ok(); }
  std::vector<std::pair<std::string, std::shared_ptr<const LoadedModel>>> Live() const override {
    return {{name_, model_}};
  }

 private:
  std::string name_;
  std::shared_ptr<const LoadedModel> model_;
};

}  // namespace kiln::serving
