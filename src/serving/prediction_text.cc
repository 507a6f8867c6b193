#include "serving/prediction_text.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace kiln::serving {

void AppendJsonLiteral(std::string& out, std::string_view text) {
  out += '"';
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
      out += escaped;
    } else {
      out += c;
    }
  }
  out += '"';
}

namespace {

void AppendNumber(std::string& out, double value) {
  if (!std::isfinite(value)) {  // JSON has no NaN or infinity
    out += "null";
    return;
  }
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

}  // namespace

std::string PredictionObjectsText(const ml::ModelPackage& package, const ml::Predictions& p) {
  std::string out = "[";
  for (size_t r = 0; r < p.rows(); ++r) {
    out += r == 0 ? "{\"predicted\":" : ",{\"predicted\":";
    if (!package.is_classifier()) {
      AppendNumber(out, p.scores[r]);
      out += '}';
      continue;
    }
    AppendJsonLiteral(out, package.classes[p.predicted[r]]);
    out += ",\"probabilities\":{";
    for (size_t c = 0; c < p.width; ++c) {
      if (c > 0) out += ',';
      AppendJsonLiteral(out, package.classes[c]);
      out += ':';
      AppendNumber(out, p.scores[r * p.width + c]);
    }
    out += "}}";
  }
  out += ']';
  return out;
}

}  // namespace kiln::serving
