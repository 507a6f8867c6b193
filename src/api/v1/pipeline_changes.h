// Long-polled changes of a pipeline run (documented in docs/api.md):
//   GET /api/v1/pipeline-runs/{run_id}/changes?from=N&wait_ms=M
// answers JSON {"events": [...], "next": N, "finished": bool, "live": bool} as soon as the run
// has an event past index `from`, or after `wait_ms` (0..10000, default 0) with none. The wait
// happens on a stream thread, never on an I/O thread. `live` false: this server is not running
// the run, so no events will come; read its state with GET /api/v1/pipeline-runs/{run_id}.
// Errors: 404 for an unknown run, 400 naming `from` or `wait_ms`.
#pragma once

#include "api/endpoint.h"

namespace kiln::api::v1 {

void AddPipelineChangeRoutes(http::Router& router, Services& services);

}  // namespace kiln::api::v1
