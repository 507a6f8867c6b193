// Prometheus text exposition format 0.0.4: metric families and how they are written.
// https://prometheus.io/docs/instrumenting/exposition_formats/
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kiln::serving {

// One line of a family: label names and (unescaped) values, and the value.
struct MetricSample {
  std::vector<std::pair<std::string, std::string>> labels;
  double value = 0;
};

// A metric family other code adds to /metrics (e.g. kiln_deployment_feature_psi). `name` and
// label names must match [a-zA-Z_:][a-zA-Z0-9_:]* (not checked); `type` is "gauge",
// "counter" or "untyped".
struct MetricFamily {
  std::string name;
  std::string help;
  std::string type = "gauge";
  std::vector<MetricSample> samples;
};

// A label value escaped for the text format: backslash, double quote and newline become \\,
// \" and \n. Never fails.
std::string EscapeLabelValue(std::string_view value);

// HELP text escaped for the text format: backslash and newline become \\ and \n. Never fails.
std::string EscapeHelp(std::string_view help);

// A sample value as the text format writes it: integers without a fraction up to 2^53,
// others in shortest round-trip form, "+Inf", "-Inf", "NaN". Never fails.
std::string FormatSampleValue(double value);

// Appends `{name="value",...}` (nothing when `labels` is empty) to `out`. Never fails.
void AppendLabels(const std::vector<std::pair<std::string, std::string>>& labels, std::string& out);

// Appends the family's "# HELP", "# TYPE" and sample lines to `out`. Never fails.
void AppendFamily(const MetricFamily& family, std::string& out);

}  // namespace kiln::serving
