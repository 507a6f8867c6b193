#include "serving/drift.h"

#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include "serving/drift_metrics.h"

namespace kiln::serving {
namespace {

using ml::Column;
using ml::FeatureProfile;
using ml::ProfileKind;
using ml::Table;

// x: 10 equal numeric bins over 1..100 (cuts 10, 20, ..., 90), no missing values.
FeatureProfile Deciles() {
  FeatureProfile p;
  p.name = "x";
  p.kind = ProfileKind::kNumeric;
  p.edges = {10, 20, 30, 40, 50, 60, 70, 80, 90};
  p.fractions.assign(10, 0.1);
  p.rows = 100;
  return p;
}

// c: "a" 60%, "b" 40%, other 0%.
FeatureProfile Letters() {
  FeatureProfile p;
  p.name = "c";
  p.kind = ProfileKind::kCategorical;
  p.categories = {"a", "b"};
  p.fractions = {0.6, 0.4, 0.0};
  p.rows = 10;
  return p;
}

Table TableOf(std::vector<Column> columns) {
  Table t;
  for (auto& c : columns) EXPECT_TRUE(t.AddColumn(std::move(c)).ok());
  return t;
}

TEST(DriftTest, PsiMatchesHandComputation) {
  EXPECT_NEAR(PopulationStabilityIndex({0.5, 0.5}, {0.6, 0.4}),
              0.1 * std::log(1.2) - 0.1 * std::log(0.8), 1e-12);
  // An empty live bin counts as kPsiEpsilon.
  EXPECT_NEAR(PopulationStabilityIndex({0.5, 0.5}, {1.0, 0.0}),
              0.5 * std::log(2.0) + (1e-4 - 0.5) * std::log(1e-4 / 0.5), 1e-12);
  EXPECT_EQ(ClassifyPsi(0.04), DriftLevel::kStable);
  EXPECT_EQ(ClassifyPsi(PopulationStabilityIndex({0.5, 0.5}, {0.7, 0.3})),
            DriftLevel::kModerate);  // 0.169
  EXPECT_EQ(ClassifyPsi(0.26), DriftLevel::kMajor);
  EXPECT_STREQ(DriftLevelName(DriftLevel::kModerate), "moderate");
}

TEST(DriftTest, IdenticalDistributionHasZeroPsi) {
  DriftMonitor monitor({Deciles()});
  std::vector<double> v;
  for (int i = 1; i <= 100; ++i) v.push_back(i);
  monitor.Observe(TableOf({Column::Float64("x", v)}));
  auto report = monitor.Report();
  ASSERT_EQ(report.size(), 1u);
  EXPECT_EQ(report[0].live_rows, 100);
  EXPECT_NEAR(report[0].psi, 0.0, 1e-12);
  EXPECT_EQ(report[0].level, DriftLevel::kStable);
  EXPECT_EQ(report[0].bins.front(), "(-inf, 10]");
  EXPECT_EQ(report[0].bins[1], "(10, 20]");
  EXPECT_EQ(report[0].bins[9], "(90, +inf)");
  EXPECT_EQ(report[0].bins.back(), "missing");
  EXPECT_EQ(report[0].train_fractions.size(), 11u);
}

TEST(DriftTest, ShiftedDistributionIsMajor) {
  DriftMonitor monitor({Deciles()});
  std::vector<int64_t> v;  // ints for a float feature: 1..50 twice, the lower half only
  for (int i = 1; i <= 100; ++i) v.push_back((i + 1) / 2);
  monitor.Observe(TableOf({Column::Int64("x", v)}));
  auto d = monitor.Report().at(0);
  for (int b = 0; b < 5; ++b) EXPECT_DOUBLE_EQ(d.live_fractions[b], 0.2);
  const double expected = 5 * 0.1 * std::log(2.0) + 5 * (1e-4 - 0.1) * std::log(1e-4 / 0.1);
  EXPECT_NEAR(d.psi, expected, 1e-9);  // 3.797
  EXPECT_EQ(d.level, DriftLevel::kMajor);
}

TEST(DriftTest, CategoriesUnseenValuesAndMissing) {
  DriftMonitor monitor({Letters(), Deciles()});
  // x is absent: every row counts as missing for it.
  monitor.Observe(TableOf({Column::String("c", {"a", "b", "zzz", "a", ""}, {1, 1, 1, 1, 0}),
                           Column::Int64("y", {7, 7, 7, 7, 7})}));
  auto report = monitor.Report();
  ASSERT_EQ(report.size(), 2u);
  EXPECT_EQ(report[0].bins, (std::vector<std::string>{"a", "b", "other", "missing"}));
  EXPECT_EQ(report[0].live_fractions, (std::vector<double>{0.4, 0.2, 0.2, 0.2}));
  EXPECT_EQ(report[0].train_fractions, (std::vector<double>{0.6, 0.4, 0.0, 0.0}));
  EXPECT_EQ(report[1].live_rows, 5);
  EXPECT_DOUBLE_EQ(report[1].live_fractions.back(), 1.0);
}

TEST(DriftTest, IntCategoriesMatchIntsAndIntegralFloats) {
  FeatureProfile p = Letters();
  p.categories = {"1", "2"};
  DriftMonitor monitor({p});
  monitor.Observe(TableOf({Column::Int64("c", {1, 2, 3})}));
  monitor.Observe(TableOf({Column::Float64("c", {2.0})}));
  monitor.Observe(TableOf({Column::Float64("c", {NAN})}));
  auto d = monitor.Report().at(0);
  EXPECT_EQ(d.live_rows, 5);
  EXPECT_EQ(d.live_fractions, (std::vector<double>{0.2, 0.4, 0.2, 0.2}));
}

TEST(DriftTest, NoDataThenReset) {
  DriftMonitor monitor({Deciles()});
  EXPECT_EQ(monitor.Report().at(0).level, DriftLevel::kNoData);
  monitor.Observe(TableOf({Column::Float64("x", {5})}));
  EXPECT_EQ(monitor.Report().at(0).live_rows, 1);
  monitor.Reset();
  EXPECT_EQ(monitor.Report().at(0).live_rows, 0);
  EXPECT_EQ(monitor.Report().at(0).psi, 0);
}

TEST(DriftTest, ConcurrentObserversCountExactly) {
  DriftMonitor monitor({Deciles(), Letters()});
  const Table one = TableOf({Column::Float64("x", {15}), Column::String("c", {"b"})});
  const Table batch =
      TableOf({Column::Float64("x", {95, 95, 5}), Column::String("c", {"a", "a", "q"})});
  constexpr int kThreads = 6, kRequests = 5000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kRequests; ++i) {
        monitor.Observe(one);
        monitor.Observe(batch);
      }
    });
  }
  for (auto& t : threads) t.join();
  const int64_t n = int64_t{kThreads} * kRequests;
  auto report = monitor.Report();
  EXPECT_EQ(report[0].live_rows, 4 * n);
  EXPECT_DOUBLE_EQ(report[0].live_fractions[0], 0.25);  // 5
  EXPECT_DOUBLE_EQ(report[0].live_fractions[1], 0.25);  // 15
  EXPECT_DOUBLE_EQ(report[0].live_fractions[9], 0.5);   // 95
  EXPECT_EQ(report[1].live_fractions, (std::vector<double>{0.5, 0.25, 0.25, 0.0}));
}

TEST(DriftTest, NoLevelBelowTheMinimumRows) {
  DriftMonitor monitor({Deciles()});
  monitor.Observe(TableOf({Column::Float64("x", {5})}));
  FeatureDrift d = monitor.Report().at(0);  // the default minimum, 100 rows
  EXPECT_EQ(d.min_rows, kDefaultDriftMinRows);
  EXPECT_EQ(d.level, DriftLevel::kInsufficientData);
  EXPECT_FALSE(d.has_level());
  EXPECT_STREQ(DriftLevelName(d.level), "insufficient_data");
  EXPECT_GT(d.psi, 0.25);  // what one row reads: "major" on any model
  EXPECT_EQ(monitor.Report(1).at(0).level, DriftLevel::kMajor);
  std::vector<double> v;
  for (int i = 1; i <= 99; ++i) v.push_back(i + 0.5);
  monitor.Observe(TableOf({Column::Float64("x", v)}));
  d = monitor.Report().at(0);
  EXPECT_EQ(d.live_rows, 100);
  EXPECT_EQ(d.level, DriftLevel::kStable);
}

TEST(DriftTest, UnseenValuesPerFeature) {
  DriftMonitor monitor({Deciles(), Letters()});
  monitor.ObserveUnseen(
      {{"c", 0, "zz", true, ""}, {"c", 2, "q", true, ""}, {"c+x", 0, "a_1", true, ""}});
  auto report = monitor.Report();
  EXPECT_EQ(report[0].unseen_values, 0);
  EXPECT_EQ(report[1].unseen_values, 2);
  monitor.Reset();
  EXPECT_EQ(monitor.Report()[1].unseen_values, 0);
}

TEST(DriftTest, MetricFamiliesHidePsiBelowTheMinimumRows) {
  DriftMonitor monitor({Deciles(), Letters()});
  monitor.Observe(TableOf({Column::Float64("x", {5}), Column::String("c", {"a"})}));
  monitor.ObserveUnseen({{"c", 0, "zz", true, ""}});
  DriftFamilies few;
  few.Append("iris", 2, monitor.Report());
  EXPECT_TRUE(few.psi.samples.empty());  // one row: no misleading PSI
  ASSERT_EQ(few.live_rows.samples.size(), 2u);
  EXPECT_EQ(few.live_rows.samples[0].value, 1);
  EXPECT_EQ(few.unseen.samples[1].value, 1);
  DriftFamilies enough;
  enough.Append("iris", 2, monitor.Report(1));
  ASSERT_EQ(enough.psi.samples.size(), 2u);
  EXPECT_EQ(enough.psi.samples[1].labels[2], (std::pair<std::string, std::string>("feature", "c")));
  EXPECT_DOUBLE_EQ(enough.psi.samples[1].value, monitor.Report(1)[1].psi);
  std::string text;
  for (const MetricFamily& family : std::move(enough).Take()) AppendFamily(family, text);
  EXPECT_NE(
      text.find("# TYPE kiln_deployment_feature_psi gauge\n"
                "kiln_deployment_feature_psi{deployment=\"iris\",version=\"2\",feature=\"x\"} "),
      std::string::npos);
  EXPECT_NE(text.find("kiln_deployment_feature_live_rows{deployment=\"iris\",version=\"2\","
                      "feature=\"c\"} 1\n"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace kiln::serving
