#include "serving/drift_metrics.h"

#include <string>

namespace kiln::serving {

MetricFamily FeaturePsiFamily() {
  MetricFamily family;
  family.name = "kiln_deployment_feature_psi";
  family.help =
      "Population stability index of a feature's live values against the training data "
      "(< 0.1 stable, 0.1-0.25 moderate, > 0.25 major shift).";
  family.type = "gauge";
  return family;
}

void AppendFeaturePsi(std::string_view deployment, int64_t version,
                      const std::vector<FeatureDrift>& report, MetricFamily& family) {
  const std::string v = version > 0 ? std::to_string(version) : "";
  for (const auto& d : report) {
    if (d.live_rows == 0) continue;
    family.samples.push_back(
        {{{"deployment", std::string(deployment)}, {"version", v}, {"feature", d.feature}}, d.psi});
  }
}

}  // namespace kiln::serving
