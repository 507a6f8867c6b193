#include "serving/drift_metrics.h"

#include <string>
#include <utility>

namespace kiln::serving {
namespace {

MetricFamily Family(const char* name, const char* help, const char* type) {
  MetricFamily family;
  family.name = name;
  family.help = help;
  family.type = type;
  return family;
}

}  // namespace

DriftFamilies::DriftFamilies()
    : psi(Family("kiln_deployment_feature_psi",
                 "Population stability index of a feature's live values against the training "
                 "data (< 0.1 stable, 0.1-0.25 moderate, > 0.25 major shift); only once the "
                 "feature has the deployment's minimum live rows.",
                 "gauge")),
      live_rows(Family("kiln_deployment_feature_live_rows",
                       "Live rows of a feature counted for drift since its version loaded.",
                       "gauge")),
      unseen(Family("kiln_deployment_feature_unseen_values_total",
                    "Live values of a feature its encoder did not see in training (encoded as "
                    "all zeros or missing).",
                    "counter")) {}

void DriftFamilies::Append(std::string_view deployment, int64_t version,
                           const std::vector<FeatureDrift>& report) {
  const std::string v = version > 0 ? std::to_string(version) : "";
  for (const FeatureDrift& d : report) {
    std::vector<std::pair<std::string, std::string>> labels = {
        {"deployment", std::string(deployment)}, {"version", v}, {"feature", d.feature}};
    if (d.has_level()) psi.samples.push_back({labels, d.psi});
    live_rows.samples.push_back({labels, static_cast<double>(d.live_rows)});
    unseen.samples.push_back({std::move(labels), static_cast<double>(d.unseen_values)});
  }
}

std::vector<MetricFamily> DriftFamilies::Take() && {
  return {std::move(psi), std::move(live_rows), std::move(unseen)};
}

}  // namespace kiln::serving
