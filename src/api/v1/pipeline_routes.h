// Pipeline runs over the native API (documented in docs/api.md):
//   POST /api/v1/pipeline-runs                     submit a run or a sweep
//   GET  /api/v1/pipeline-runs                     list (sweep_id, schedule_id, status filters)
//   GET  /api/v1/pipeline-runs/{run_id}            one run with its steps and outputs
//   POST /api/v1/pipeline-runs/{run_id}/cancel     stop a live run
//   POST /api/v1/pipeline-runs/{run_id}/resume     re-run what failed or never ran
//   GET  /api/v1/pipeline-runs/{run_id}/steps/{step}/logs[?tail=N]   the step's log as text
//   GET  /api/v1/lineage?kind=artifact|step_run&id=ID                edges into and out of a node
//   GET  /api/v1/models/{name}/versions/{version}/lineage            a version's traced lineage
#pragma once

#include "api/endpoint.h"

namespace kiln::api::v1 {

void AddPipelineRoutes(http::Router& router, Services& services);

}  // namespace kiln::api::v1
