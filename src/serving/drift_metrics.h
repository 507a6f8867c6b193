// Drift as Prometheus gauges, for ServingMetrics::RenderPrometheus's extra families.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "serving/drift.h"
#include "serving/serving_metrics_text.h"

namespace kiln::serving {

// An empty kiln_deployment_feature_psi gauge family (help and type set). Never fails.
MetricFamily FeaturePsiFamily();

// Appends one sample per feature of `report` that has live rows to `family`, labelled
// deployment, version ("" for kNoVersion or less) and feature, valued the PSI. Never fails.
void AppendFeaturePsi(std::string_view deployment, int64_t version,
                      const std::vector<FeatureDrift>& report, MetricFamily& family);

}  // namespace kiln::serving
