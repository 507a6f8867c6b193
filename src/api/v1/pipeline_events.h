// Server-Sent Events for pipeline runs (documented in docs/api.md):
//   GET /api/v1/pipeline-runs/{run_id}/events[?logs=0][&step=NAME]
// streams text/event-stream: `step` events for each step state change, `log` events for the
// step log lines as they are written, and a final `end` event, after which the server
// closes the stream. A run that already finished gets its steps' final states and `end` at
// once. Unknown runs or steps get a 404 JSON error instead of a stream.
#pragma once

#include "api/endpoint.h"

namespace kiln::api::v1 {

void AddPipelineEventRoutes(http::Router& router, Services& services);

}  // namespace kiln::api::v1
