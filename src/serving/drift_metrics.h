// Drift as Prometheus families, for ServingMetrics::RenderPrometheus's extra families.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "serving/drift.h"
#include "serving/serving_metrics_text.h"

namespace kiln::serving {

// The drift families of /metrics, labelled deployment, version ("" for kNoVersion or less)
// and feature:
//   kiln_deployment_feature_psi               gauge, only for features with a level (at least
//                                             their deployment's minimum live rows): a PSI read
//                                             on fewer rows would mislead
//   kiln_deployment_feature_live_rows         gauge, every feature: the rows the PSI is over
//   kiln_deployment_feature_unseen_values_total  counter, every feature: values its encoder
//                                             did not see in training
struct DriftFamilies {
  MetricFamily psi;
  MetricFamily live_rows;
  MetricFamily unseen;

  // The three families, empty (help and type set). Never fails.
  DriftFamilies();
  // Appends the samples of one loaded version's `report`. Never fails.
  void Append(std::string_view deployment, int64_t version,
              const std::vector<FeatureDrift>& report);
  // The families in /metrics order. Never fails.
  std::vector<MetricFamily> Take() &&;
};

}  // namespace kiln::serving
