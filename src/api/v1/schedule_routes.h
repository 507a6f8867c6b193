// Schedules over the native API (see docs/schedules.md). {schedule} is an id or a name.
//   POST   /api/v1/schedules                        create {name, cron, spec, file, base_dir,
//                                                   overrides[], allow_overlap, enabled}
//   GET    /api/v1/schedules                        list, by name
//   GET    /api/v1/schedules/{schedule}             one schedule (with its spec)
//   DELETE /api/v1/schedules/{schedule}             remove (also POST .../{schedule}/delete)
//   POST   /api/v1/schedules/{schedule}/enable      enable; the next fire is after now
//   POST   /api/v1/schedules/{schedule}/disable     stop firing
//   POST   /api/v1/schedules/{schedule}/run         start a run now -> {run_id, schedule_id}
#pragma once

#include "api/endpoint.h"

namespace kiln::api::v1 {

// Registers the routes above; `services` must outlive `router`. Not thread-safe (setup).
void AddScheduleRoutes(http::Router& router, Services& services);

}  // namespace kiln::api::v1
