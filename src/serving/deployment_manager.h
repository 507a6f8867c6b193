// DeploymentManager: the live deployments. It keeps each deployment's model versions loaded,
// follows aliases as they move (hot swap: the new version is loaded and warmed off the request
// path, then swapped in; requests in flight finish on the version they picked), splits traffic
// with a canary by weight, and persists specs so deployments survive restarts.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/mutex.h"
#include "common/status.h"
#include "serving/deployment.h"
#include "serving/loaded_model.h"
#include "serving/model_source.h"

namespace kiln::serving {

// Where one reference of a deployment stands.
struct SlotStatus {
  ModelRef ref;
  int64_t serving_version = 0;  // the version answering now; 0 before the first load
  int64_t loaded_ms = 0;
  int64_t target_version = 0;  // what the reference names now; 0 when it cannot be resolved
  // "ready" (serving; `error` says why a newer target is not), "updating" (serving the old
  // version while the target loads), "loading" (nothing to serve yet) or "failed" (nothing to
  // serve, see `error`).
  std::string state;
  std::shared_ptr<const LoadedModel> live;  // the model answering now, if any
  std::string error;                        // the last resolve or load failure, "" when none
};

struct DeploymentStatus {
  DeploymentSpec spec;
  SlotStatus primary;
  std::optional<SlotStatus> canary;
  InputPolicy policy;  // in effect: the spec's, with the server's default drift minimum
};

class DeploymentManager : public ModelSource {
 public:
  // `specs` and `loader` must outlive the manager.
  DeploymentManager(DeploymentStore& specs, ModelLoader& loader) : specs_(specs), loader_(loader) {}
  // Stops the reconcile thread.
  ~DeploymentManager() override;
  DeploymentManager(const DeploymentManager&) = delete;
  DeploymentManager& operator=(const DeploymentManager&) = delete;

  // Reads the persisted deployments. Call once, before anything else. Errors: kInternal from
  // the store.
  Status LoadSpecs();
  // Starts the thread that loads versions and re-resolves aliases every `poll_ms` (only a
  // serving process calls it; without it, deployments are records that nothing serves).
  void StartLoading(int poll_ms = 250);
  // The live rows drift needs before it has a level, for deployments that set none (default
  // kDefaultDriftMinRows; at least 1). Thread-safe.
  void SetDefaultDriftMinRows(int64_t rows);

  // Creates or updates a deployment. Checks the spec and that its references resolve now, then
  // persists it; loading happens in the background (Get shows "loading" until ready). Applying
  // the same spec again retries a version that failed to load. Errors: kInvalidArgument naming
  // the field, kNotFound naming the model, alias or version. Thread-safe.
  Result<DeploymentStatus> Apply(DeploymentSpec spec);
  // Deletes a deployment; requests in flight finish. Errors: kNotFound. Thread-safe.
  Status Remove(const std::string& name);

  std::vector<DeploymentStatus> List() const;
  // Errors: kNotFound naming the deployment.
  Result<DeploymentStatus> Get(const std::string& name) const;

  // The hot path: the model that answers the next request of `name` (the canary for
  // canary_weight percent of requests, exactly interleaved). Errors: kNotFound (no such
  // deployment), kUnavailable (no version loaded yet, or loading failed; the message says
  // which). Thread-safe, lock held only to copy a pointer.
  Result<Chosen> Choose(const std::string& name) const override;
  // OK when every deployment's primary has a version loaded. Thread-safe.
  Status Ready() const override;
  std::vector<LiveModel> Live() const override;

 private:
  struct Slot {
    ModelRef ref;
    std::shared_ptr<const LoadedModel> live;
    int64_t target = 0;
    int64_t failed_version = 0;  // not retried until the reference moves or is re-applied
    std::string error;
  };
  struct Entry {
    DeploymentSpec spec;
    Slot primary;
    std::optional<Slot> canary;
    mutable std::atomic<uint64_t> requests{0};
  };
  // What one pass of the reconciler must load.
  struct Job {
    std::string deployment;
    bool canary = false;
    ModelRef ref;
  };

  void Loop(int poll_ms);
  void Reconcile();
  void ReconcileSlot(const Job& job);
  static SlotStatus StatusOf(const Slot& slot);
  DeploymentStatus StatusOf(const Entry& entry) const;
  InputPolicy PolicyOf(const DeploymentSpec& spec) const;
  // The slot `job` refers to, if the deployment still has it with the same reference.
  Slot* FindSlot(const Job& job) REQUIRES(mu_);

  DeploymentStore& specs_;
  ModelLoader& loader_;
  std::atomic<int64_t> default_drift_min_rows_{kDefaultDriftMinRows};

  mutable SharedMutex mu_;  // also guards each Entry's fields
  std::map<std::string, std::shared_ptr<Entry>> entries_ GUARDED_BY(mu_);

  Mutex wake_mu_;
  std::condition_variable wake_;
  bool wake_now_ GUARDED_BY(wake_mu_) = false;
  bool stopping_ GUARDED_BY(wake_mu_) = false;
  std::thread thread_;
};

}  // namespace kiln::serving
