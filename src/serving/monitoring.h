// Monitoring: what a serving process keeps about the requests it answers: the durable request
// log (with feedback and live quality) and the Prometheus metrics. One per serving process.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "serving/request_log.h"
#include "serving/serving_metrics.h"

namespace kiln::serving {

struct Monitoring {
  // Null until OpenLog: the log belongs to one process (it locks its folder), so only a
  // process that serves opens it.
  std::unique_ptr<RequestLog> log;
  ServingMetrics metrics;

  // Opens the log under `dir`. Errors: as RequestLog::Open (kFailedPrecondition when another
  // process has it open).
  Status OpenLog(const std::string& dir) {
    KILN_ASSIGN_OR_RETURN(log, RequestLog::Open(dir));
    return Status::Ok();
  }
  // The log, or kFailedPrecondition saying where it can be read.
  Result<RequestLog*> Log() const {
    if (log == nullptr) {
      return FailedPrecondition(
          "this process keeps no request log (a kiln server keeps one: use --server URL; "
          "kiln serve keeps one with --log-dir)");
    }
    return log.get();
  }
};

}  // namespace kiln::serving
