// Deployments: named HTTP endpoints serving a model reference, optionally splitting traffic with
// a canary reference; and how their persisted specs are kept in the metadata store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "serving/model_ref.h"
#include "store/meta_store.h"

namespace kiln::serving {

struct DeploymentSpec {
  std::string name;
  ModelRef model;
  std::optional<ModelRef> canary;
  int canary_weight = 0;  // percent of requests the canary answers, 0..100
  // Refuse fields that are not model inputs and unseen categories (400) instead of ignoring /
  // encoding them with a warning.
  bool strict_inputs = false;
  int64_t drift_min_rows = 0;  // live rows before drift has a level; 0 = the server's default
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
};

// Checks a spec a user sent: the name (1-63 of [A-Za-z0-9._-], starting alphanumeric: it is a
// URL segment), the canary weight (0..100, and 1..99 needs a canary), drift_min_rows (0..10^9).
// Errors: kInvalidArgument naming the field.
Status ValidateSpec(const DeploymentSpec& spec);

inline constexpr int64_t kMaxDriftMinRows = 1000000000;

// Deployment specs in the metadata store (table `deployments`). Thread-safe; `store` must
// outlive it.
class DeploymentStore {
 public:
  explicit DeploymentStore(store::MetaStore& store) : store_(store) {}

  // Inserts or replaces `spec` (keeping the first created_ms). Durable on return.
  Status Put(const DeploymentSpec& spec);
  // Errors: kNotFound naming the deployment.
  Status Delete(const std::string& name);
  // All deployments, by name.
  Result<std::vector<DeploymentSpec>> List();

 private:
  store::MetaStore& store_;
};

}  // namespace kiln::serving
