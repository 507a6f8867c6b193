// TrackingService: experiments.
#include "common/ids.h"
#include "tracking/run_rows.h"
#include "tracking/tracking_service.h"
#include "tracking/validation.h"

namespace kiln::tracking {

TrackingService::TrackingService(store::MetaStore& store, std::string artifact_root)
    : store_(store), artifact_root_(std::move(artifact_root)) {}

Status TrackingService::Init() {
  return store_.Write([&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(store::Rows rows,
                          s.Query("SELECT 1 FROM experiments WHERE experiment_id = 0"));
    if (!rows.empty()) return Status::Ok();
    const int64_t now = NowMillis();
    return s.Exec("INSERT INTO experiments VALUES (0, 'Default', ?, 'active', ?, ?)",
                  {artifact_root_ + "/0", now, now});
  });
}

Result<std::string> TrackingService::CreateExperiment(const std::string& name,
                                                      const std::string& artifact_location,
                                                      const std::vector<Tag>& tags) {
  KILN_RETURN_IF_ERROR(ValidateExperimentName(name));
  for (const Tag& tag : tags) KILN_RETURN_IF_ERROR(ValidateExperimentTag(tag));
  int64_t id = 0;
  Status status = store_.Write([&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(
        store::Rows taken,
        s.Query("SELECT lifecycle_stage FROM experiments WHERE name = ?", {name}));
    if (!taken.empty()) {
      return AlreadyExists("Experiment '" + name + "' already exists" +
                           (taken[0].Text(0) == kDeleted ? " in deleted state." : "."));
    }
    KILN_ASSIGN_OR_RETURN(store::Rows next,
                          s.Query("SELECT COALESCE(MAX(experiment_id), 0) + 1 FROM experiments"));
    id = next[0].Int(0);
    const int64_t now = NowMillis();
    std::string location =
        artifact_location.empty() ? artifact_root_ + "/" + std::to_string(id) : artifact_location;
    KILN_RETURN_IF_ERROR(s.Exec("INSERT INTO experiments VALUES (?, ?, ?, 'active', ?, ?)",
                                {id, name, location, now, now}));
    for (const Tag& tag : tags) {
      KILN_RETURN_IF_ERROR(
          s.Exec("INSERT INTO experiment_tags VALUES (?, ?, ?) ON CONFLICT (experiment_id, key) DO "
                 "UPDATE SET value = excluded.value",
                 {id, tag.key, tag.value}));
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return std::to_string(id);
}

Result<Experiment> TrackingService::GetExperiment(const std::string& experiment_id) {
  Experiment out;
  KILN_RETURN_IF_ERROR(store_.Read([&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(out, LoadExperiment(s, experiment_id));
    return Status::Ok();
  }));
  return out;
}

Result<Experiment> TrackingService::GetExperimentByName(const std::string& name) {
  Experiment out;
  KILN_RETURN_IF_ERROR(store_.Read([&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(store::Rows rows, s.Query(std::string("SELECT ") + kExperimentColumns +
                                                        " FROM experiments e WHERE e.name = ?",
                                                    {name}));
    if (rows.empty()) return NotFound("Could not find experiment with name '" + name + "'");
    out = ExperimentFromRow(rows[0]);
    return LoadExperimentTags(s, out);
  }));
  return out;
}

namespace {

// Runs `change` on an existing experiment inside a write transaction and bumps its
// last_update_time.
Status UpdateExperiment(store::MetaStore& store, const std::string& experiment_id,
                        const std::function<Status(store::Session&, const Experiment&)>& change) {
  return store.Write([&](store::Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(Experiment experiment, LoadExperiment(s, experiment_id));
    KILN_RETURN_IF_ERROR(change(s, experiment));
    return s.Exec("UPDATE experiments SET last_update_time = ? WHERE experiment_id = ?",
                  {NowMillis(), std::stoll(experiment_id)});
  });
}

Status RequireActiveExperiment(const Experiment& e) {
  if (e.lifecycle_stage == kActive) return Status::Ok();
  return FailedPrecondition("The experiment " + e.experiment_id +
                            " must be in the 'active' state. Current state is " +
                            e.lifecycle_stage + ".");
}

}  // namespace

Status TrackingService::RenameExperiment(const std::string& experiment_id,
                                         const std::string& new_name) {
  KILN_RETURN_IF_ERROR(ValidateExperimentName(new_name));
  return UpdateExperiment(store_, experiment_id, [&](store::Session& s, const Experiment& e) {
    KILN_RETURN_IF_ERROR(RequireActiveExperiment(e));
    KILN_ASSIGN_OR_RETURN(store::Rows taken,
                          s.Query("SELECT experiment_id FROM experiments WHERE name = ? AND "
                                  "experiment_id != ?",
                                  {new_name, std::stoll(experiment_id)}));
    if (!taken.empty()) return AlreadyExists("Experiment '" + new_name + "' already exists.");
    return s.Exec("UPDATE experiments SET name = ? WHERE experiment_id = ?",
                  {new_name, std::stoll(experiment_id)});
  });
}

namespace {

// Moves an experiment and all its runs to `stage` ("active" or "deleted").
Status SetExperimentStage(store::Session& s, const Experiment& e, const char* stage) {
  const int64_t id = std::stoll(e.experiment_id);
  KILN_RETURN_IF_ERROR(
      s.Exec("UPDATE experiments SET lifecycle_stage = ? WHERE experiment_id = ?", {stage, id}));
  const bool deleting = std::string(stage) == kDeleted;
  return s.Exec(
      "UPDATE runs SET lifecycle_stage = ?, deleted_time = ? WHERE experiment_id = ?",
      {stage, store::NullableInt(deleting ? std::optional(NowMillis()) : std::nullopt), id});
}

}  // namespace

Status TrackingService::DeleteExperiment(const std::string& experiment_id) {
  if (experiment_id == "0") {
    return InvalidArgument(
        "Cannot delete the default experiment '0'. This is an internally "
        "reserved experiment.");
  }
  return UpdateExperiment(store_, experiment_id, [](store::Session& s, const Experiment& e) {
    KILN_RETURN_IF_ERROR(RequireActiveExperiment(e));
    return SetExperimentStage(s, e, kDeleted);
  });
}

Status TrackingService::RestoreExperiment(const std::string& experiment_id) {
  return UpdateExperiment(store_, experiment_id, [](store::Session& s, const Experiment& e) {
    if (e.lifecycle_stage != kDeleted) {
      return FailedPrecondition("Cannot restore experiment " + e.experiment_id +
                                ": it is not deleted.");
    }
    return SetExperimentStage(s, e, kActive);
  });
}

Status TrackingService::SetExperimentTag(const std::string& experiment_id, const Tag& tag) {
  KILN_RETURN_IF_ERROR(ValidateExperimentTag(tag));
  return UpdateExperiment(store_, experiment_id, [&](store::Session& s, const Experiment& e) {
    KILN_RETURN_IF_ERROR(RequireActiveExperiment(e));
    return s.Exec(
        "INSERT INTO experiment_tags VALUES (?, ?, ?) ON CONFLICT (experiment_id, key) DO UPDATE "
        "SET value = excluded.value",
        {std::stoll(experiment_id), tag.key, tag.value});
  });
}

Status TrackingService::DeleteExperimentTag(const std::string& experiment_id,
                                            const std::string& key) {
  return UpdateExperiment(store_, experiment_id, [&](store::Session& s, const Experiment& e) {
    KILN_RETURN_IF_ERROR(RequireActiveExperiment(e));
    KILN_RETURN_IF_ERROR(s.Exec("DELETE FROM experiment_tags WHERE experiment_id = ? AND key = ?",
                                {std::stoll(experiment_id), key}));
    if (s.Changes() == 0) {
      return NotFound("No tag with name: " + key + " in experiment with id " + experiment_id);
    }
    return Status::Ok();
  });
}

}  // namespace kiln::tracking
