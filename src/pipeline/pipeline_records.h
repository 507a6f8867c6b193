// Pipeline definitions: the latest spec of each pipeline, by name, stored in the `pipelines`
// table. Every run submission records its pipeline here, and the web UI saves edited ones.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/page.h"
#include "common/status.h"
#include "store/meta_store.h"

namespace kiln::pipeline {

struct PipelineDefinition {
  std::string name;      // the spec's `name`
  std::string spec;      // the pipeline file's text
  std::string file;      // the file's name as given, for messages
  std::string base_dir;  // absolute folder file bindings and project modules are relative to
  int64_t step_count = 0;
  int64_t created_ms = 0;  // first recorded
  int64_t updated_ms = 0;  // spec, file or base_dir last changed
};

// A pipeline's newest run, as the list shows it.
struct LastRun {
  std::string run_id;
  std::string status;  // RunStateName
  int64_t created_ms = 0;
};

struct PipelineSummary {
  PipelineDefinition definition;  // spec left empty
  std::optional<LastRun> last_run;
};

struct PipelineListQuery {
  int64_t max_results = 100;
  std::string page_token;
};

// Thread-safe: all state lives in the store. Every method may also return kInternal for
// storage failures.
class PipelineRecords {
 public:
  explicit PipelineRecords(store::MetaStore& store) : store_(store) {}

  // Inserts `definition` (created_ms = updated_ms = now_ms) or replaces the one of that name;
  // updated_ms moves only when spec, file or base_dir differ. The given times are ignored.
  Status Upsert(const PipelineDefinition& definition, int64_t now_ms);
  // One definition. Errors: kNotFound naming `name`.
  Result<PipelineDefinition> Get(const std::string& name);
  // Definitions by name (spec left empty), each with its newest run. Errors: kInvalidArgument
  // for a bad page token.
  Result<Page<PipelineSummary>> List(const PipelineListQuery& query);
  // Removes a definition; its runs stay. Errors: kNotFound.
  Status Delete(const std::string& name);

 private:
  store::MetaStore& store_;
};

}  // namespace kiln::pipeline
