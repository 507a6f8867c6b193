// Loading tracking entities from store rows. Internal to tracking/.
#pragma once

#include <string>

#include "store/meta_store.h"
#include "tracking/entities.h"

namespace kiln::tracking {

// Columns selected by the loaders below, in the order they read them.
inline constexpr const char* kRunColumns =
    "r.run_id, r.name, r.experiment_id, r.user_id, r.status, r.start_time, r.end_time, "
    "r.artifact_uri, r.lifecycle_stage";
inline constexpr const char* kExperimentColumns =
    "e.experiment_id, e.name, e.artifact_location, e.lifecycle_stage, e.creation_time, "
    "e.last_update_time";

RunInfo RunInfoFromRow(const store::Row& row);
Experiment ExperimentFromRow(const store::Row& row);

// Errors: kNotFound "Run with id=... not found".
Result<RunInfo> LoadRunInfo(store::Session& session, const std::string& run_id);
// The run with its latest metrics, params, tags and inputs. Errors as LoadRunInfo.
Result<Run> LoadRun(store::Session& session, const std::string& run_id);
// Fills metrics, params, tags and inputs of a run whose info is loaded.
Status LoadRunData(store::Session& session, Run& run);
// Errors: kNotFound "No Experiment with id=... exists" (also for a non-numeric id).
Result<Experiment> LoadExperiment(store::Session& session, const std::string& experiment_id);
Status LoadExperimentTags(store::Session& session, Experiment& experiment);
// kFailedPrecondition unless the run is active.
Status RequireActiveRun(const RunInfo& info);
// Dataset input tags as stored in run_inputs.tags_json, and back.
std::string EncodeInputTags(const std::vector<Tag>& tags);
std::vector<Tag> DecodeInputTags(const std::string& encoded);
// Parses an experiment id. Errors: kNotFound naming the id (no such experiment can exist).
Result<int64_t> ParseExperimentId(const std::string& experiment_id);

}  // namespace kiln::tracking
