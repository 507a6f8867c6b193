#include "ml/svg_plots.h"

#include <algorithm>
#include <cstdio>
#include <numeric>

namespace kiln::ml {
namespace {

std::string Escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Num(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.4g", v);
  return buffer;
}

std::string Open(int width, int height, const std::string& title) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(width) +
         "\" height=\"" + std::to_string(height) +
         "\" font-family=\"sans-serif\" font-size=\"12\">" +
         "<rect width=\"100%\" height=\"100%\" fill=\"white\"/><text x=\"10\" y=\"20\" "
         "font-size=\"14\">" +
         Escape(title) + "</text>";
}

std::string Text(double x, double y, const std::string& text, const char* anchor = "start") {
  return "<text x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" text-anchor=\"" + anchor + "\">" +
         Escape(text) + "</text>";
}

// A square plot area [left, left+size] x [top, top+size] with axes and their names.
std::string Axes(double left, double top, double size, const std::string& x_name,
                 const std::string& y_name) {
  return "<rect x=\"" + Num(left) + "\" y=\"" + Num(top) + "\" width=\"" + Num(size) +
         "\" height=\"" + Num(size) + "\" fill=\"none\" stroke=\"black\"/>" +
         Text(left + size / 2, top + size + 30, x_name, "middle") + "<text transform=\"translate(" +
         Num(left - 30) + "," + Num(top + size / 2) + ") rotate(-90)\" text-anchor=\"middle\">" +
         Escape(y_name) + "</text>";
}

}  // namespace

std::string ConfusionMatrixSvg(const std::vector<std::string>& labels,
                               const std::vector<std::vector<int64_t>>& counts) {
  const double cell = 60, left = 110, top = 50;
  const size_t n = labels.size();
  int64_t max = 1;
  for (const auto& row : counts) max = std::max(max, *std::max_element(row.begin(), row.end()));
  std::string svg = Open(static_cast<int>(left + cell * n + 20),
                         static_cast<int>(top + cell * n + 50), "confusion matrix");
  for (size_t a = 0; a < n; ++a) {
    svg += Text(left - 8, top + cell * a + cell / 2 + 4, labels[a], "end");
    svg += Text(left + cell * a + cell / 2, top + cell * n + 16, labels[a], "middle");
    for (size_t p = 0; p < n; ++p) {
      const double shade = static_cast<double>(counts[a][p]) / static_cast<double>(max);
      const int blue = static_cast<int>(255 - 200 * shade);
      svg += "<rect x=\"" + Num(left + cell * p) + "\" y=\"" + Num(top + cell * a) + "\" width=\"" +
             Num(cell) + "\" height=\"" + Num(cell) + "\" fill=\"rgb(" + std::to_string(blue) +
             "," + std::to_string(blue) + ",255)\" stroke=\"gray\"/>" +
             Text(left + cell * p + cell / 2, top + cell * a + cell / 2 + 4,
                  std::to_string(counts[a][p]), "middle");
    }
  }
  svg += Text(left + cell * n / 2, top + cell * n + 40, "predicted", "middle");
  return svg + "</svg>\n";
}

std::string BarChartSvg(const std::string& title,
                        std::vector<std::pair<std::string, double>> values, size_t limit) {
  std::sort(values.begin(), values.end(),
            [](const auto& a, const auto& b) { return a.second > b.second; });
  if (values.size() > limit) values.resize(limit);
  const double bar = 22, left = 180, width = 300, top = 40;
  const double max = values.empty() ? 1 : std::max(values.front().second, 1e-300);
  std::string svg = Open(static_cast<int>(left + width + 90),
                         static_cast<int>(top + bar * values.size() + 20), title);
  for (size_t i = 0; i < values.size(); ++i) {
    const double y = top + bar * i;
    svg += Text(left - 8, y + bar / 2 + 4, values[i].first, "end") + "<rect x=\"" + Num(left) +
           "\" y=\"" + Num(y + 3) + "\" width=\"" + Num(width * values[i].second / max) +
           "\" height=\"" + Num(bar - 6) + "\" fill=\"steelblue\"/>" +
           Text(left + width * values[i].second / max + 6, y + bar / 2 + 4, Num(values[i].second));
  }
  return svg + "</svg>\n";
}

std::string RocCurveSvg(const std::vector<std::pair<double, double>>& points, double auc) {
  const double left = 60, top = 40, size = 300;
  std::string svg = Open(400, 400, "ROC curve (AUC " + Num(auc) + ")") +
                    Axes(left, top, size, "false positive rate", "true positive rate") +
                    "<line x1=\"" + Num(left) + "\" y1=\"" + Num(top + size) + "\" x2=\"" +
                    Num(left + size) + "\" y2=\"" + Num(top) +
                    "\" stroke=\"gray\" stroke-dasharray=\"4\"/><polyline fill=\"none\" "
                    "stroke=\"steelblue\" stroke-width=\"2\" points=\"";
  for (const auto& [x, y] : points)
    svg += Num(left + size * x) + "," + Num(top + size * (1 - y)) + " ";
  return svg + "\"/></svg>\n";
}

std::string ScatterSvg(const std::string& title, const std::vector<double>& actual,
                       const std::vector<double>& predicted) {
  const double left = 60, top = 40, size = 300;
  double lo = 0, hi = 1;
  if (!actual.empty()) {
    lo = std::min(*std::min_element(actual.begin(), actual.end()),
                  *std::min_element(predicted.begin(), predicted.end()));
    hi = std::max(*std::max_element(actual.begin(), actual.end()),
                  *std::max_element(predicted.begin(), predicted.end()));
  }
  if (hi <= lo) hi = lo + 1;
  auto x = [&](double v) { return left + size * (v - lo) / (hi - lo); };
  auto y = [&](double v) { return top + size * (1 - (v - lo) / (hi - lo)); };
  std::string svg = Open(400, 400, title) + Axes(left, top, size, "actual", "predicted") +
                    "<line x1=\"" + Num(x(lo)) + "\" y1=\"" + Num(y(lo)) + "\" x2=\"" + Num(x(hi)) +
                    "\" y2=\"" + Num(y(hi)) +
                    "\" stroke=\"gray\" "
                    "stroke-dasharray=\"4\"/>";
  const size_t step = std::max<size_t>(1, actual.size() / 2000);  // at most ~2,000 dots
  for (size_t i = 0; i < actual.size(); i += step) {
    svg += "<circle cx=\"" + Num(x(actual[i])) + "\" cy=\"" + Num(y(predicted[i])) +
           "\" r=\"2\" fill=\"steelblue\" fill-opacity=\"0.6\"/>";
  }
  return svg + "</svg>\n";
}

std::vector<std::pair<double, double>> RocPoints(const std::vector<size_t>& actual,
                                                 const std::vector<float>& scores) {
  std::vector<size_t> order(actual.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  double positives = 0;
  for (size_t a : actual) positives += a == 1;
  const double negatives = static_cast<double>(actual.size()) - positives;
  std::vector<std::pair<double, double>> points = {{0, 0}};
  double tp = 0, fp = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    (actual[order[i]] == 1 ? tp : fp) += 1;
    // One point per distinct score: tied rows move the curve together.
    if (i + 1 == order.size() || scores[order[i + 1]] != scores[order[i]]) {
      points.emplace_back(negatives > 0 ? fp / negatives : 0, positives > 0 ? tp / positives : 0);
    }
  }
  return points;
}

}  // namespace kiln::ml
