// The stored state of pipeline runs and their steps, the step cache, lineage edges and sweeps.
// A pipeline run's id is its parent tracking run's id; a step's run_id is its child run's id.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/page.h"
#include "common/status.h"
#include "pipeline/module_manifest.h"
#include "store/meta_store.h"

namespace kiln::pipeline {

enum class RunState { kPending, kRunning, kSucceeded, kFailed, kCached, kSkipped, kCancelled };

// "PENDING", "RUNNING", "SUCCEEDED", "FAILED", "CACHED", "SKIPPED" or "CANCELLED".
const char* RunStateName(RunState state);
// The state named `name`; false when there is none.
bool RunStateFromName(std::string_view name, RunState* state);
// True for SUCCEEDED, FAILED, CACHED, SKIPPED and CANCELLED.
bool IsFinal(RunState state);

struct StepOutput {
  std::string name;
  ArtifactType type = ArtifactType::kFile;
  std::string digest;    // SHA-256 of the file, or of the tree manifest for a folder
  bool is_tree = false;  // a folder (see artifacts/blob_tree.h)
};

struct StepRecord {
  std::string step;
  int64_t position = 0;  // index in the pipeline file
  std::string run_id;    // the child tracking run; empty until the step starts
  RunState state = RunState::kPending;
  std::string cache_key;
  bool cached = false;
  int64_t attempts = 0;
  std::optional<int64_t> exit_code;
  std::string error;     // why it failed or was skipped
  std::string log_path;  // absolute path of the captured stdout+stderr
  int64_t started_ms = 0;
  int64_t ended_ms = 0;
  std::vector<StepOutput> outputs;
};

struct PipelineRunRecord {
  std::string run_id;
  std::string pipeline_name;
  std::string file;      // the pipeline file's name as given
  std::string base_dir;  // absolute folder relative file bindings and project modules live in
  std::string spec;      // the pipeline file's text
  std::vector<std::string> overrides;
  std::string params_json;  // resolved pipeline params as a JSON object
  RunState state = RunState::kPending;
  std::string sweep_id;
  std::string schedule_id;
  std::string error;
  int64_t created_ms = 0;
  int64_t started_ms = 0;
  int64_t ended_ms = 0;
  std::vector<StepRecord> steps;  // by position
};

// One lineage edge, e.g. {"artifact", digest, "step_run", run_id, "input:train"}.
struct LineageEdge {
  std::string src_kind, src_id, dst_kind, dst_id, label;
};

struct RunListQuery {
  std::string pipeline_name;  // empty: any
  std::string sweep_id;       // empty: any
  std::string schedule_id;    // empty: any
  std::optional<RunState> state;
  int64_t max_results = 100;
  std::string page_token;
};

// Thread-safe: all state lives in the store. Errors: kNotFound for unknown run ids,
// kInternal for storage failures.
class RunRecords {
 public:
  explicit RunRecords(store::MetaStore& store) : store_(store) {}

  // Inserts a run and its steps.
  Status Create(const PipelineRunRecord& run);
  // Sets a run's state, error and times (0 keeps a time unchanged; a state that is not final
  // clears ended_ms).
  Status SetRunState(const std::string& run_id, RunState state, const std::string& error,
                     int64_t started_ms, int64_t ended_ms);
  // Writes a step's row, replaces its outputs and adds `edges`, in one transaction.
  Status SaveStep(const std::string& run_id, const StepRecord& step,
                  const std::vector<LineageEdge>& edges = {});
  // Remembers that `cache_key` produced `outputs` (first writer wins).
  Status PutCache(const std::string& cache_key, const std::string& run_id, const std::string& step,
                  const std::vector<StepOutput>& outputs);
  // The outputs a successful step with `cache_key` produced, if any.
  Result<std::optional<std::vector<StepOutput>>> LookupCache(const std::string& cache_key);
  // Forgets `cache_key` (its outputs are gone), so that the next PutCache of it is kept.
  Status DropCache(const std::string& cache_key);
  // The tracking run of the step that computed `cache_key`'s outputs; empty when no cache
  // entry or no such step run is left.
  Result<std::string> CacheSourceRun(const std::string& cache_key);
  Result<PipelineRunRecord> Get(const std::string& run_id);
  // OK when run `run_id` exists, without loading its steps. Errors: kNotFound, kInternal.
  Status CheckExists(const std::string& run_id);
  // Runs newest first, without their steps.
  Result<Page<PipelineRunRecord>> List(const RunListQuery& query);
  // Edges into or out of (kind, id).
  Result<std::vector<LineageEdge>> Lineage(const std::string& kind, const std::string& id);
  Status CreateSweep(const std::string& sweep_id, const std::string& pipeline_name,
                     const std::string& spec_json);

 private:
  store::MetaStore& store_;
};

}  // namespace kiln::pipeline
