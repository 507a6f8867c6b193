// Parsing MLflow tracking request fields into domain values.
#pragma once

#include "api/request_args.h"
#include "tracking/entities.h"

namespace kiln::api::mlflow {

Result<std::vector<tracking::Tag>> ParseTags(const RequestArgs& args, const std::string& field);
Result<tracking::Metric> ParseMetric(const RequestArgs& args);
// run_view_type / view_type: ACTIVE_ONLY (default), DELETED_ONLY, ALL.
Result<tracking::ViewType> ParseViewType(const RequestArgs& args, const std::string& field);
Result<tracking::Batch> ParseBatch(const RequestArgs& args);
Result<std::vector<tracking::DatasetInput>> ParseDatasetInputs(const RequestArgs& args);

}  // namespace kiln::api::mlflow
