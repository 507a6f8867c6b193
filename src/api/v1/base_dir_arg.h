// The `base_dir` argument of pipeline submissions and schedules.
#pragma once

#include <string>

#include "api/request_args.h"

namespace kiln::api::v1 {

// The absolute folder a pipeline's relative file bindings and project modules start from; the
// server's working folder when absent. Errors: kInvalidArgument for a relative path.
Result<std::string> BaseDirArg(const RequestArgs& args);
// As BaseDirArg, but "" when absent (the callee picks the default).
Result<std::string> OptionalBaseDirArg(const RequestArgs& args);

}  // namespace kiln::api::v1
