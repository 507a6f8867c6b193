// The `base_dir` argument of pipeline submissions, saved pipelines and schedules.
#pragma once

#include <cstddef>
#include <string>

#include "api/request_args.h"
#include "http/router.h"

namespace kiln::api::v1 {

// The absolute folder a pipeline's file inputs and project modules start from, or "" when
// absent (the domain then picks <data folder>/pipelines/<name>, see PipelineService::Submit).
// Errors: kInvalidArgument for a relative path.
Result<std::string> OptionalBaseDirArg(const RequestArgs& args);

// The body limit of the routes that take a pipeline file: far above any real pipeline (the
// largest examples are a few KB). What bounds the time parsing and planning take is the YAML
// node limit (kMaxYamlNodes).
inline constexpr size_t kMaxPipelineBodyBytes = size_t{1} << 20;
inline const http::RouteOptions kPipelineBody{kMaxPipelineBodyBytes};

}  // namespace kiln::api::v1
