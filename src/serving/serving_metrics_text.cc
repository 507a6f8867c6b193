#include "serving/serving_metrics_text.h"

#include <fmt/format.h>

#include <cmath>

namespace kiln::serving {

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string EscapeHelp(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string FormatSampleValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (std::trunc(value) == value && std::fabs(value) <= 9007199254740992.0) {
    return fmt::format("{}", static_cast<int64_t>(value));
  }
  return fmt::format("{}", value);
}

void AppendLabels(const std::vector<std::pair<std::string, std::string>>& labels,
                  std::string& out) {
  if (labels.empty()) return;
  out += '{';
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ',';
    out += labels[i].first;
    out += "=\"";
    out += EscapeLabelValue(labels[i].second);
    out += '"';
  }
  out += '}';
}

void AppendFamily(const MetricFamily& family, std::string& out) {
  out += "# HELP " + family.name + " " + EscapeHelp(family.help) + "\n";
  out += "# TYPE " + family.name + " " + family.type + "\n";
  for (const auto& sample : family.samples) {
    out += family.name;
    AppendLabels(sample.labels, out);
    out += ' ';
    out += FormatSampleValue(sample.value);
    out += '\n';
  }
}

}  // namespace kiln::serving
