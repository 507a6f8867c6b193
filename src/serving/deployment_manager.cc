#include "serving/deployment_manager.h"

#include <algorithm>
#include <chrono>

#include "common/ids.h"

namespace kiln::serving {

DeploymentManager::~DeploymentManager() {
  {
    MutexLock lock(wake_mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Status DeploymentManager::LoadSpecs() {
  KILN_ASSIGN_OR_RETURN(std::vector<DeploymentSpec> specs, specs_.List());
  {
    WriterMutexLock lock(mu_);
    for (DeploymentSpec& spec : specs) {
      auto entry = std::make_shared<Entry>();
      entry->primary.ref = spec.model;
      if (spec.canary) entry->canary = Slot{*spec.canary, nullptr, 0, 0, ""};
      entry->spec = std::move(spec);
      entries_[entry->spec.name] = std::move(entry);
    }
  }
  return Status::Ok();
}

void DeploymentManager::StartLoading(int poll_ms) {
  thread_ = std::thread([this, poll_ms] { Loop(poll_ms); });
}

void DeploymentManager::SetDefaultDriftMinRows(int64_t rows) {
  default_drift_min_rows_.store(std::max<int64_t>(rows, 1), std::memory_order_relaxed);
}

InputPolicy DeploymentManager::PolicyOf(const DeploymentSpec& spec) const {
  return {spec.strict_inputs, spec.drift_min_rows > 0
                                  ? spec.drift_min_rows
                                  : default_drift_min_rows_.load(std::memory_order_relaxed)};
}

Result<DeploymentStatus> DeploymentManager::Apply(DeploymentSpec spec) {
  KILN_RETURN_IF_ERROR(ValidateSpec(spec));
  KILN_RETURN_IF_ERROR(loader_.Resolve(spec.model).status());
  if (spec.canary) KILN_RETURN_IF_ERROR(loader_.Resolve(*spec.canary).status());
  spec.updated_ms = NowMillis();
  {
    ReaderMutexLock lock(mu_);
    auto it = entries_.find(spec.name);
    spec.created_ms = it != entries_.end() ? it->second->spec.created_ms : spec.updated_ms;
  }
  KILN_RETURN_IF_ERROR(specs_.Put(spec));
  {
    WriterMutexLock lock(mu_);
    std::shared_ptr<Entry>& entry = entries_[spec.name];
    if (!entry) entry = std::make_shared<Entry>();
    // A changed reference keeps serving the old version until the new one is loaded.
    entry->primary.ref = spec.model;
    entry->primary.failed_version = 0;
    if (spec.canary) {
      if (!entry->canary) entry->canary = Slot{};
      entry->canary->ref = *spec.canary;
      entry->canary->failed_version = 0;
    } else {
      entry->canary.reset();
    }
    entry->spec = spec;
  }
  {
    MutexLock lock(wake_mu_);
    wake_now_ = true;
  }
  wake_.notify_all();
  return Get(spec.name);
}

Status DeploymentManager::Remove(const std::string& name) {
  KILN_RETURN_IF_ERROR(specs_.Delete(name));
  WriterMutexLock lock(mu_);
  entries_.erase(name);
  return Status::Ok();
}

std::vector<DeploymentStatus> DeploymentManager::List() const {
  ReaderMutexLock lock(mu_);
  std::vector<DeploymentStatus> out;
  for (const auto& [name, entry] : entries_) out.push_back(StatusOf(*entry));
  return out;
}

Result<DeploymentStatus> DeploymentManager::Get(const std::string& name) const {
  ReaderMutexLock lock(mu_);
  auto it = entries_.find(name);
  if (it == entries_.end()) return NotFound("no deployment '" + name + "'");
  return StatusOf(*it->second);
}

Result<Chosen> DeploymentManager::Choose(const std::string& name) const {
  ReaderMutexLock lock(mu_);
  auto it = entries_.find(name);
  if (it == entries_.end()) return NotFound("no deployment '" + name + "'");
  const Entry& entry = *it->second;
  const int weight = entry.spec.canary_weight;
  if (entry.canary && entry.canary->live && weight > 0) {
    // Request n goes to the canary when the running share floor(n * w / 100) steps up, which
    // spreads the canary's requests evenly.
    const uint64_t n = entry.requests.fetch_add(1, std::memory_order_relaxed);
    if ((n + 1) * weight / 100 > n * weight / 100) {
      return Chosen{entry.canary->live, true, PolicyOf(entry.spec)};
    }
  }
  if (entry.primary.live) return Chosen{entry.primary.live, false, PolicyOf(entry.spec)};
  const std::string why =
      entry.primary.error.empty() ? "its model is still loading" : entry.primary.error;
  return Unavailable("deployment '" + name + "' cannot answer yet: " + why);
}

Status DeploymentManager::Ready() const {
  ReaderMutexLock lock(mu_);
  for (const auto& [name, entry] : entries_) {
    if (!entry->primary.live) return Unavailable("deployment '" + name + "' is not ready");
  }
  return Status::Ok();
}

std::vector<LiveModel> DeploymentManager::Live() const {
  ReaderMutexLock lock(mu_);
  std::vector<LiveModel> out;
  for (const auto& [name, entry] : entries_) {
    const InputPolicy policy = PolicyOf(entry->spec);
    if (entry->primary.live) out.push_back({name, entry->primary.live, policy});
    if (entry->canary && entry->canary->live) out.push_back({name, entry->canary->live, policy});
  }
  return out;
}

void DeploymentManager::Loop(int poll_ms) {
  while (true) {
    {
      MutexLock lock(wake_mu_);
      if (stopping_) return;
    }
    Reconcile();
    MutexLock lock(wake_mu_);
    lock.WaitFor(wake_, std::chrono::milliseconds(poll_ms),
                 [this]() REQUIRES(wake_mu_) { return stopping_ || wake_now_; });
    wake_now_ = false;
  }
}

void DeploymentManager::Reconcile() {
  std::vector<Job> jobs;
  {
    ReaderMutexLock lock(mu_);
    for (const auto& [name, entry] : entries_) {
      jobs.push_back({name, false, entry->primary.ref});
      if (entry->canary) jobs.push_back({name, true, entry->canary->ref});
    }
  }
  for (const Job& job : jobs) ReconcileSlot(job);
}

DeploymentManager::Slot* DeploymentManager::FindSlot(const Job& job) {
  auto it = entries_.find(job.deployment);
  if (it == entries_.end()) return nullptr;
  Slot* slot =
      job.canary ? (it->second->canary ? &*it->second->canary : nullptr) : &it->second->primary;
  return slot != nullptr && slot->ref == job.ref ? slot : nullptr;
}

void DeploymentManager::ReconcileSlot(const Job& job) {
  Result<int64_t> target = loader_.Resolve(job.ref);
  {
    WriterMutexLock lock(mu_);
    Slot* slot = FindSlot(job);
    if (slot == nullptr) return;
    if (!target.ok()) {
      slot->target = 0;
      slot->error = target.status().message();
      return;
    }
    slot->target = *target;
    const bool serving_target =
        slot->live && slot->live->name == job.ref.name && slot->live->version == *target;
    if (serving_target) slot->error.clear();
    if (serving_target || slot->failed_version == *target) return;
  }
  // Loading and warming happen here, off the request path and without the lock.
  Result<std::shared_ptr<const LoadedModel>> loaded = loader_.Load(job.ref.name, *target);
  WriterMutexLock lock(mu_);
  Slot* slot = FindSlot(job);
  if (slot == nullptr) return;
  if (!loaded.ok()) {
    slot->failed_version = *target;
    slot->error =
        "version " + std::to_string(*target) + " failed to load: " + loaded.status().message();
    return;
  }
  slot->live = std::move(*loaded);
  slot->failed_version = 0;
  slot->error.clear();
}

SlotStatus DeploymentManager::StatusOf(const Slot& slot) {
  SlotStatus s;
  s.ref = slot.ref;
  s.target_version = slot.target;
  s.error = slot.error;
  s.live = slot.live;
  if (slot.live) {
    s.serving_version = slot.live->version;
    s.loaded_ms = slot.live->loaded_ms;
  }
  const bool current =
      slot.live && slot.live->name == slot.ref.name && slot.live->version == slot.target;
  const bool stuck = slot.failed_version != 0 || slot.target == 0;  // nothing new will load
  if (slot.live) {
    s.state = current || stuck ? "ready" : "updating";
  } else {
    s.state = slot.error.empty() ? "loading" : "failed";
  }
  return s;
}

DeploymentStatus DeploymentManager::StatusOf(const Entry& entry) const {
  DeploymentStatus out{entry.spec, StatusOf(entry.primary), std::nullopt, PolicyOf(entry.spec)};
  if (entry.canary) out.canary = StatusOf(*entry.canary);
  return out;
}

}  // namespace kiln::serving
