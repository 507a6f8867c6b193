#include "serving/serving_metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <sstream>
#include <thread>

namespace kiln::serving {
namespace {

// Sample lines of Prometheus text: "name{labels}" -> value. Fails the test on a malformed line.
std::map<std::string, double> ParseSamples(const std::string& text) {
  std::map<std::string, double> samples;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) continue;
    const size_t space = line.rfind(' ');
    EXPECT_NE(space, std::string::npos) << line;
    if (space == std::string::npos) continue;
    const std::string value = line.substr(space + 1);
    samples[line.substr(0, space)] = value == "+Inf" ? INFINITY : std::stod(value);
  }
  return samples;
}

// Checks the histogram of one series (labels as rendered, without braces): cumulative buckets
// never decrease, +Inf equals _count, and returns _count.
double CheckHistogram(const std::map<std::string, double>& s, const std::string& labels) {
  const std::string name = "kiln_serving_request_duration_seconds";
  double previous = 0;
  for (double le : kLatencyBuckets) {
    const std::string key = name + "_bucket{" + labels + ",le=\"" + FormatSampleValue(le) + "\"}";
    EXPECT_TRUE(s.count(key)) << key;
    if (!s.count(key)) continue;
    EXPECT_GE(s.at(key), previous) << key;
    previous = s.at(key);
  }
  const double inf = s.at(name + "_bucket{" + labels + ",le=\"+Inf\"}");
  EXPECT_GE(inf, previous);
  EXPECT_EQ(inf, s.at(name + "_count{" + labels + "}"));
  return inf;
}

TEST(ServingMetricsTest, ExactTextForOneRequest) {
  ServingMetrics m;
  const ClassCount classes[] = {{"setosa", 1}, {"virginica", 1}};
  m.Observe("iris", 3, 200, 0.0003, 2, classes);
  const std::string l = R"(deployment="iris",version="3")";
  std::string expected =
      "# HELP kiln_serving_requests_total Prediction requests answered, by HTTP status code.\n"
      "# TYPE kiln_serving_requests_total counter\n"
      "kiln_serving_requests_total{" +
      l +
      ",code=\"200\"} 1\n"
      "# HELP kiln_serving_errors_total Prediction requests answered with a 4xx or 5xx status "
      "code.\n"
      "# TYPE kiln_serving_errors_total counter\n"
      "kiln_serving_errors_total{" +
      l +
      "} 0\n"
      "# HELP kiln_serving_request_duration_seconds Time to answer a prediction request, in "
      "seconds.\n"
      "# TYPE kiln_serving_request_duration_seconds histogram\n";
  const char* les[] = {"0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005",
                       "0.01",   "0.025",   "0.05",   "0.1",   "0.25",   "0.5",
                       "1",      "2.5",     "5",      "10",    "+Inf"};
  for (size_t b = 0; b < 17; ++b) {
    expected += "kiln_serving_request_duration_seconds_bucket{" + l + ",le=\"" + les[b] + "\"} " +
                (b < 2 ? "0" : "1") + "\n";
  }
  expected += "kiln_serving_request_duration_seconds_sum{" + l +
              "} 0.0003\n"
              "kiln_serving_request_duration_seconds_count{" +
              l +
              "} 1\n"
              "# HELP kiln_serving_rows_total Rows (instances) predicted.\n"
              "# TYPE kiln_serving_rows_total counter\n"
              "kiln_serving_rows_total{" +
              l +
              "} 2\n"
              "# HELP kiln_serving_predictions_total Predicted rows per class label (classifiers "
              "only).\n"
              "# TYPE kiln_serving_predictions_total counter\n"
              "kiln_serving_predictions_total{" +
              l +
              ",class=\"setosa\"} 1\n"
              "kiln_serving_predictions_total{" +
              l +
              ",class=\"virginica\"} 1\n"
              "# HELP kiln_serving_ignored_fields_total Request fields that are not model "
              "inputs, ignored (each name once per request).\n"
              "# TYPE kiln_serving_ignored_fields_total counter\n"
              "kiln_serving_ignored_fields_total{" +
              l +
              "} 0\n"
              "# HELP kiln_serving_unseen_categories_total Request values not seen in training "
              "by a one_hot or label_encode step, encoded as all zeros or missing.\n"
              "# TYPE kiln_serving_unseen_categories_total counter\n"
              "kiln_serving_unseen_categories_total{" +
              l + "} 0\n";
  EXPECT_EQ(m.RenderPrometheus(), expected);
}

TEST(ServingMetricsTest, ParsesBackConsistently) {
  ServingMetrics m;
  const ClassCount a[] = {{"a", 3}, {"b", 1}};
  const ClassCount b[] = {{"b", 2}};  // another order: found by scan
  m.Observe("d", 1, 200, 0.00005, 4, a);
  m.Observe("d", 1, 200, 0.02, 2, b);
  m.Observe("d", 1, 503, 20.0, 0);
  m.Observe("d", kNoVersion, 400, 0.0001, 0);
  m.Observe("d", -5, 404, NAN, 0);  // a negative version is no version; NaN latency is 0
  m.Observe("e", 2, 200, 1.0, 1);
  const auto s = ParseSamples(m.RenderPrometheus());
  EXPECT_EQ(CheckHistogram(s, R"(deployment="d",version="1")"), 3);
  EXPECT_EQ(CheckHistogram(s, R"(deployment="d",version="")"), 2);
  EXPECT_EQ(CheckHistogram(s, R"(deployment="e",version="2")"), 1);
  EXPECT_EQ(
      s.at(R"(kiln_serving_request_duration_seconds_bucket{deployment="d",version="1",le="10"})"),
      2);
  EXPECT_EQ(
      s.at(R"(kiln_serving_request_duration_seconds_bucket{deployment="e",version="2",le="1"})"),
      1);
  EXPECT_DOUBLE_EQ(s.at(R"(kiln_serving_request_duration_seconds_sum{deployment="d",version="1"})"),
                   20.02005);
  EXPECT_EQ(s.at(R"(kiln_serving_requests_total{deployment="d",version="1",code="503"})"), 1);
  EXPECT_EQ(s.at(R"(kiln_serving_errors_total{deployment="d",version="1"})"), 1);
  EXPECT_EQ(s.at(R"(kiln_serving_errors_total{deployment="d",version=""})"), 2);
  EXPECT_EQ(s.at(R"(kiln_serving_rows_total{deployment="d",version="1"})"), 6);
  EXPECT_EQ(s.at(R"(kiln_serving_predictions_total{deployment="d",version="1",class="a"})"), 3);
  EXPECT_EQ(s.at(R"(kiln_serving_predictions_total{deployment="d",version="1",class="b"})"), 3);
}

TEST(ServingMetricsTest, CountsIgnoredFieldsAndUnseenCategories) {
  ServingMetrics m;
  m.Observe("d", 1, 200, 0.001, 3);
  m.Series("d", 1).CountInputIssues(2, 0);
  m.Series("d", 1).CountInputIssues(1, 5);
  const auto s = ParseSamples(m.RenderPrometheus());
  EXPECT_EQ(s.at(R"(kiln_serving_ignored_fields_total{deployment="d",version="1"})"), 3);
  EXPECT_EQ(s.at(R"(kiln_serving_unseen_categories_total{deployment="d",version="1"})"), 5);
}

TEST(ServingMetricsTest, LabelValuesAreEscaped) {
  EXPECT_EQ(EscapeLabelValue("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  EXPECT_EQ(EscapeHelp("x\\y\nz\""), "x\\\\y\\nz\"");
  ServingMetrics m;
  const ClassCount classes[] = {{"say \"hi\"", 1}};
  m.Observe("we\\ird\n", 1, 200, 0.001, 1, classes);
  const std::string text = m.RenderPrometheus();
  EXPECT_NE(text.find(R"(kiln_serving_rows_total{deployment="we\\ird\n",version="1"} 1)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(class="say \"hi\""} 1)"), std::string::npos);
}

TEST(ServingMetricsTest, ExtraFamiliesAreAppended) {
  ServingMetrics m;
  MetricFamily psi{"kiln_deployment_feature_psi", "PSI of a feature.", "gauge", {}};
  psi.samples.push_back({{{"deployment", "iris"}, {"feature", "petal_length"}}, 0.125});
  psi.samples.push_back({{}, INFINITY});
  const std::string text = m.RenderPrometheus({psi});
  EXPECT_NE(text.find("# HELP kiln_deployment_feature_psi PSI of a feature.\n"
                      "# TYPE kiln_deployment_feature_psi gauge\n"
                      "kiln_deployment_feature_psi{deployment=\"iris\",feature=\"petal_length\"} "
                      "0.125\n"
                      "kiln_deployment_feature_psi +Inf\n"),
            std::string::npos);
}

TEST(ServingMetricsTest, ManyCodesAndClassesOverflowWithoutLoss) {
  ServingMetrics m;
  ServingSeries& series = m.Series("d", 1);
  EXPECT_EQ(&series, &m.Series("d", 1));
  for (int code = 100; code < 140; ++code) series.Observe(code, 0.001, 0);
  for (int c = 0; c < 300; ++c) {
    const std::string label = "c" + std::to_string(c);
    const ClassCount one[] = {{label, 1}};
    series.Observe(200, 0.001, 1, one);
  }
  auto snap = series.Read();
  EXPECT_EQ(snap.requests_by_code.size(), 41u);
  EXPECT_EQ(snap.requests_by_code[139], 1);
  EXPECT_EQ(snap.requests_by_code[200], 300);
  EXPECT_EQ(snap.predictions_by_class.size(), kMaxClassLabels + 1);
  EXPECT_EQ(snap.predictions_by_class[""], 300 - int64_t{kMaxClassLabels});
}

TEST(ServingMetricsTest, ConcurrentObserversCountExactly) {
  ServingMetrics m;
  constexpr int kThreads = 6, kRequests = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&m, t] {
      const ClassCount classes[] = {{"x", 1}, {"y", 2}};
      for (int i = 0; i < kRequests; ++i) {
        const std::string deployment = (i % 2 == 0) ? "a" : "b";
        m.Observe(deployment, 1 + (t % 2), (i / 2) % 10 == 0 ? 500 : 200, 0.001, 3, classes);
      }
    });
  }
  for (auto& t : threads) t.join();
  const auto s = ParseSamples(m.RenderPrometheus());
  double total = 0;
  for (const char* d : {"a", "b"}) {
    for (const char* v : {"1", "2"}) {
      const std::string labels = std::string("deployment=\"") + d + "\",version=\"" + v + "\"";
      const double count = CheckHistogram(s, labels);
      EXPECT_EQ(count, kThreads / 2 * kRequests / 2);
      EXPECT_EQ(s.at("kiln_serving_errors_total{" + labels + "}"), count / 10);
      EXPECT_EQ(s.at("kiln_serving_rows_total{" + labels + "}"), 3 * count);
      EXPECT_EQ(s.at("kiln_serving_predictions_total{" + labels + ",class=\"y\"}"), 2 * count);
      total += count;
    }
  }
  EXPECT_EQ(total, kThreads * kRequests);
}

}  // namespace
}  // namespace kiln::serving
