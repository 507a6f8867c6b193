#include "tracking/tracking_service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "common/ids.h"

namespace kiln::tracking {
namespace {

namespace fs = std::filesystem;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::optional<std::string> FindTag(const std::vector<Tag>& tags, const std::string& key) {
  for (const Tag& tag : tags) {
    if (tag.key == key) return tag.value;
  }
  return std::nullopt;
}

std::optional<Metric> FindMetric(const tracking::Run& run, const std::string& key) {
  for (const Metric& m : run.metrics) {
    if (m.key == key) return m;
  }
  return std::nullopt;
}

class TrackingServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "kiln_tracking_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto store = store::OpenSqliteStore((dir_ / "kiln.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    service_ = std::make_unique<TrackingService>(*store_, "mlflow-artifacts:");
    ASSERT_TRUE(service_->Init().ok());
  }
  void TearDown() override {
    service_.reset();
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  TrackingService& t() { return *service_; }

  std::string NewExperiment(const std::string& name, const std::vector<Tag>& tags = {}) {
    auto id = t().CreateExperiment(name, "", tags);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : "";
  }

  tracking::Run NewRun(const std::string& experiment_id, const std::string& name = "",
                       std::optional<int64_t> start_time = std::nullopt) {
    CreateRunRequest request;
    request.experiment_id = experiment_id;
    request.run_name = name;
    request.start_time = start_time;
    request.user_id = "tester";
    auto run = t().CreateRun(request);
    EXPECT_TRUE(run.ok()) << run.status().ToString();
    return run.ok() ? *run : tracking::Run{};
  }

  tracking::Run Get(const std::string& run_id) {
    auto run = t().GetRun(run_id);
    EXPECT_TRUE(run.ok()) << run.status().ToString();
    return run.ok() ? *run : tracking::Run{};
  }

  void LogMetric(const std::string& run_id, const std::string& key, double value, int64_t timestamp,
                 int64_t step) {
    Status status = t().LogBatch(run_id, {{{key, value, timestamp, step}}, {}, {}});
    ASSERT_TRUE(status.ok()) << status.ToString();
  }

  fs::path dir_;
  std::unique_ptr<store::MetaStore> store_;
  std::unique_ptr<TrackingService> service_;
};

// ---------------------------------------------------------------- experiments

TEST_F(TrackingServiceTest, DefaultExperimentExistsAfterInit) {
  ASSERT_TRUE(t().Init().ok());  // idempotent
  auto e = t().GetExperiment("0");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->name, "Default");
  EXPECT_EQ(e->lifecycle_stage, "active");
  EXPECT_EQ(e->artifact_location, "mlflow-artifacts:/0");
  auto all = t().SearchExperiments({});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->items.size(), 1u);
  EXPECT_EQ(all->items[0].experiment_id, "0");
}

TEST_F(TrackingServiceTest, CreateAndGetExperiment) {
  auto id = t().CreateExperiment("exp", "", {{"owner", "ann"}});
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, "1");
  auto e = t().GetExperiment(*id);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->name, "exp");
  EXPECT_EQ(e->artifact_location, "mlflow-artifacts:/1");
  EXPECT_EQ(e->lifecycle_stage, "active");
  EXPECT_GT(e->creation_time, 0);
  EXPECT_EQ(FindTag(e->tags, "owner"), "ann");

  auto by_name = t().GetExperimentByName("exp");
  ASSERT_TRUE(by_name.ok());
  EXPECT_EQ(by_name->experiment_id, "1");
  EXPECT_EQ(FindTag(by_name->tags, "owner"), "ann");

  auto custom = t().CreateExperiment("custom", "s3://bucket/here", {});
  ASSERT_TRUE(custom.ok());
  EXPECT_EQ(*custom, "2");
  EXPECT_EQ(t().GetExperiment(*custom)->artifact_location, "s3://bucket/here");
}

TEST_F(TrackingServiceTest, ExperimentErrors) {
  EXPECT_EQ(t().CreateExperiment("", "", {}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(t().CreateExperiment("x", "", {{"bad*key", "v"}}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(t().GetExperiment("42").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(t().GetExperimentByName("nope").status().code(), StatusCode::kNotFound);
  NewExperiment("exp");
  auto dup = t().CreateExperiment("exp", "", {});
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(dup.status().message().find("exp"), std::string::npos);
  // Nothing was half-created by the failed call.
  EXPECT_EQ(t().SearchExperiments({})->items.size(), 2u);
}

TEST_F(TrackingServiceTest, DuplicateOfDeletedExperimentSaysDeleted) {
  const std::string id = NewExperiment("gone");
  ASSERT_TRUE(t().DeleteExperiment(id).ok());
  auto dup = t().CreateExperiment("gone", "", {});
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(dup.status().message().find("deleted"), std::string::npos) << dup.status().message();
}

TEST_F(TrackingServiceTest, RenameExperiment) {
  const std::string id = NewExperiment("old");
  NewExperiment("taken");
  ASSERT_TRUE(t().RenameExperiment(id, "new").ok());
  EXPECT_EQ(t().GetExperiment(id)->name, "new");
  EXPECT_EQ(t().GetExperimentByName("old").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(t().RenameExperiment(id, "taken").code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(t().RenameExperiment(id, "").code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(t().RenameExperiment(id, "new").ok());  // its own name is not "taken"
  EXPECT_EQ(t().RenameExperiment("99", "x").code(), StatusCode::kNotFound);
  ASSERT_TRUE(t().DeleteExperiment(id).ok());
  EXPECT_EQ(t().RenameExperiment(id, "newer").code(), StatusCode::kFailedPrecondition);
}

TEST_F(TrackingServiceTest, DeleteAndRestoreExperimentCascadeToRuns) {
  const std::string id = NewExperiment("exp");
  tracking::Run run = NewRun(id);
  ASSERT_TRUE(t().DeleteExperiment(id).ok());
  EXPECT_EQ(t().GetExperiment(id)->lifecycle_stage, "deleted");
  EXPECT_EQ(Get(run.info.run_id).info.lifecycle_stage, "deleted");
  EXPECT_EQ(t().DeleteExperiment(id).code(), StatusCode::kFailedPrecondition);
  CreateRunRequest request;
  request.experiment_id = id;
  EXPECT_EQ(t().CreateRun(request).status().code(), StatusCode::kFailedPrecondition);

  ASSERT_TRUE(t().RestoreExperiment(id).ok());
  EXPECT_EQ(t().GetExperiment(id)->lifecycle_stage, "active");
  EXPECT_EQ(Get(run.info.run_id).info.lifecycle_stage, "active");
  EXPECT_EQ(t().RestoreExperiment(id).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(t().DeleteExperiment("77").code(), StatusCode::kNotFound);
}

TEST_F(TrackingServiceTest, CannotDeleteDefaultExperiment) {
  Status status = t().DeleteExperiment("0");
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(t().GetExperiment("0")->lifecycle_stage, "active");
}

TEST_F(TrackingServiceTest, ExperimentTags) {
  const std::string id = NewExperiment("exp");
  ASSERT_TRUE(t().SetExperimentTag(id, {"k", "v1"}).ok());
  ASSERT_TRUE(t().SetExperimentTag(id, {"k", "v2"}).ok());
  ASSERT_TRUE(t().SetExperimentTag(id, {"other", "x"}).ok());
  auto e = t().GetExperiment(id);
  ASSERT_EQ(e->tags.size(), 2u);
  EXPECT_EQ(FindTag(e->tags, "k"), "v2");
  EXPECT_EQ(t().SetExperimentTag(id, {"a/../b", "v"}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(t().SetExperimentTag(id, {"k", std::string(5001, 'x')}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(t().SetExperimentTag("99", {"k", "v"}).code(), StatusCode::kNotFound);

  ASSERT_TRUE(t().DeleteExperimentTag(id, "k").ok());
  EXPECT_FALSE(FindTag(t().GetExperiment(id)->tags, "k").has_value());
  EXPECT_EQ(t().DeleteExperimentTag(id, "k").code(), StatusCode::kNotFound);
}

// ---------------------------------------------------------------- runs

TEST_F(TrackingServiceTest, CreateRunGeneratesNameAndTag) {
  tracking::Run run = NewRun("0", "", 1234);
  EXPECT_TRUE(std::regex_match(run.info.run_id, std::regex("[0-9a-f]{32}"))) << run.info.run_id;
  EXPECT_TRUE(std::regex_match(run.info.run_name, std::regex("[a-z]+-[a-z]+-[0-9]+")))
      << run.info.run_name;
  EXPECT_EQ(FindTag(run.tags, kRunNameTag), run.info.run_name);
  EXPECT_EQ(run.info.status, "RUNNING");
  EXPECT_EQ(run.info.start_time, 1234);
  EXPECT_FALSE(run.info.end_time.has_value());
  EXPECT_EQ(run.info.experiment_id, "0");
  EXPECT_EQ(run.info.user_id, "tester");
  EXPECT_EQ(run.info.lifecycle_stage, "active");
  EXPECT_EQ(run.info.artifact_uri, "mlflow-artifacts:/0/" + run.info.run_id + "/artifacts");
  tracking::Run again = Get(run.info.run_id);
  EXPECT_EQ(again.info.run_name, run.info.run_name);
}

TEST_F(TrackingServiceTest, RunNameAndTagAgreeOnCreate) {
  tracking::Run named = NewRun("0", "my-run");
  EXPECT_EQ(named.info.run_name, "my-run");
  EXPECT_EQ(FindTag(named.tags, kRunNameTag), "my-run");

  CreateRunRequest by_tag;
  by_tag.tags = {{kRunNameTag, "from-tag"}, {"other", "x"}};
  auto run = t().CreateRun(by_tag);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->info.run_name, "from-tag");
  EXPECT_EQ(FindTag(run->tags, "other"), "x");

  CreateRunRequest both_same = by_tag;
  both_same.run_name = "from-tag";
  EXPECT_TRUE(t().CreateRun(both_same).ok());

  CreateRunRequest conflict = by_tag;
  conflict.run_name = "different";
  auto refused = t().CreateRun(conflict);
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("mlflow.runName"), std::string::npos);
}

TEST_F(TrackingServiceTest, CreateRunErrors) {
  CreateRunRequest unknown;
  unknown.experiment_id = "12";
  EXPECT_EQ(t().CreateRun(unknown).status().code(), StatusCode::kNotFound);
  CreateRunRequest bad_tag;
  bad_tag.tags = {{"/x", "v"}};
  EXPECT_EQ(t().CreateRun(bad_tag).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(t().GetRun("deadbeef").status().code(), StatusCode::kNotFound);
}

TEST_F(TrackingServiceTest, UpdateRun) {
  tracking::Run run = NewRun("0", "first");
  UpdateRunRequest request;
  request.run_id = run.info.run_id;
  request.status = "FINISHED";
  request.end_time = 5000;
  request.run_name = "second";
  auto info = t().UpdateRun(request);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->status, "FINISHED");
  EXPECT_EQ(info->end_time, 5000);
  EXPECT_EQ(info->run_name, "second");
  tracking::Run stored = Get(run.info.run_id);
  EXPECT_EQ(stored.info.status, "FINISHED");
  EXPECT_EQ(stored.info.end_time, 5000);
  EXPECT_EQ(stored.info.run_name, "second");
  EXPECT_EQ(FindTag(stored.tags, kRunNameTag), "second");

  // Only the given fields change.
  UpdateRunRequest status_only{run.info.run_id, std::string("FAILED"), std::nullopt, std::nullopt};
  ASSERT_TRUE(t().UpdateRun(status_only).ok());
  stored = Get(run.info.run_id);
  EXPECT_EQ(stored.info.status, "FAILED");
  EXPECT_EQ(stored.info.end_time, 5000);
  EXPECT_EQ(stored.info.run_name, "second");

  UpdateRunRequest bad_status{run.info.run_id, std::string("DONE"), std::nullopt, std::nullopt};
  EXPECT_EQ(t().UpdateRun(bad_status).status().code(), StatusCode::kInvalidArgument);
  UpdateRunRequest unknown{"nope", std::string("FINISHED"), std::nullopt, std::nullopt};
  EXPECT_EQ(t().UpdateRun(unknown).status().code(), StatusCode::kNotFound);
}

TEST_F(TrackingServiceTest, RunNameTagUpdatesRunName) {
  tracking::Run run = NewRun("0", "before");
  ASSERT_TRUE(t().LogBatch(run.info.run_id, {{}, {}, {{kRunNameTag, "after"}}}).ok());
  tracking::Run stored = Get(run.info.run_id);
  EXPECT_EQ(stored.info.run_name, "after");
  EXPECT_EQ(FindTag(stored.tags, kRunNameTag), "after");
}

TEST_F(TrackingServiceTest, DeleteAndRestoreRun) {
  tracking::Run run = NewRun("0");
  const std::string id = run.info.run_id;
  ASSERT_TRUE(t().DeleteRun(id).ok());
  EXPECT_EQ(Get(id).info.lifecycle_stage, "deleted");

  Status log = t().LogBatch(id, {{{"m", 1, 1, 0}}, {}, {}});
  EXPECT_EQ(log.code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Get(id).metrics.empty());
  EXPECT_EQ(t().DeleteTag(id, kRunNameTag).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(t().LogModel(id, "{}").code(), StatusCode::kFailedPrecondition);
  UpdateRunRequest update{id, std::string("FINISHED"), std::nullopt, std::nullopt};
  EXPECT_EQ(t().UpdateRun(update).status().code(), StatusCode::kFailedPrecondition);

  ASSERT_TRUE(t().RestoreRun(id).ok());
  EXPECT_EQ(Get(id).info.lifecycle_stage, "active");
  EXPECT_TRUE(t().LogBatch(id, {{{"m", 1, 1, 0}}, {}, {}}).ok());
  EXPECT_EQ(t().DeleteRun("missing").code(), StatusCode::kNotFound);
  EXPECT_EQ(t().RestoreRun("missing").code(), StatusCode::kNotFound);
}

// ---------------------------------------------------------------- log-batch

TEST_F(TrackingServiceTest, LogBatchWritesEverything) {
  tracking::Run run = NewRun("0");
  Batch batch;
  batch.metrics = {{"acc", 0.5, 10, 0}, {"loss", 1.5, 10, 0}};
  batch.params = {{"lr", "0.1"}, {"depth", "3"}};
  batch.tags = {{"team", "ml"}};
  ASSERT_TRUE(t().LogBatch(run.info.run_id, batch).ok());
  tracking::Run stored = Get(run.info.run_id);
  ASSERT_EQ(stored.metrics.size(), 2u);
  EXPECT_EQ(FindMetric(stored, "acc")->value, 0.5);
  EXPECT_EQ(FindMetric(stored, "loss")->timestamp, 10);
  EXPECT_EQ(FindTag(stored.params, "lr"), "0.1");
  EXPECT_EQ(FindTag(stored.params, "depth"), "3");
  EXPECT_EQ(FindTag(stored.tags, "team"), "ml");
  EXPECT_EQ(t().LogBatch("nope", batch).code(), StatusCode::kNotFound);
}

TEST_F(TrackingServiceTest, RunIdsAreHexAndSortByCreation) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(NewRun("0").info.run_id);
    ::usleep(2000);  // ids of one millisecond share their prefix only
  }
  for (const std::string& id : ids) {
    EXPECT_TRUE(std::regex_match(id, std::regex("[0-9a-f]{32}"))) << id;
    const int64_t created_ms = std::stoll(id.substr(0, 12), nullptr, 16);
    EXPECT_LT(std::abs(created_ms - NowMillis()), 60000) << id << " does not start with the time";
  }
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_NE(ids[0].substr(12), ids[1].substr(12)) << "the rest is random";
}

TEST_F(TrackingServiceTest, CopyRunResultsCarriesLatestMetricsParamsAndTags) {
  const std::string source = NewRun("0").info.run_id;
  Batch batch;
  batch.metrics = {{"acc", 0.5, 10, 1}, {"acc", 0.9, 11, 2}, {"loss", kNaN, 12, 0}};
  batch.params = {{"lr", "0.1"}, {"depth", "3"}};
  batch.tags = {{"kiln.output.model", "abc"}, {"team", "ml"}};
  ASSERT_TRUE(t().LogBatch(source, batch).ok());
  CreateRunRequest request;
  request.tags = {{"team", "mine"}};
  auto copy = t().CreateRun(request);
  ASSERT_TRUE(copy.ok());
  const std::string id = copy->info.run_id;
  ASSERT_TRUE(t().LogBatch(id, {{}, {{"lr", "0.1"}}, {}}).ok());
  ASSERT_TRUE(t().CopyRunResults(id, source).ok()) << t().CopyRunResults(id, source).ToString();

  tracking::Run stored = Get(id);
  ASSERT_EQ(stored.metrics.size(), 2u);
  EXPECT_EQ(FindMetric(stored, "acc")->value, 0.9);
  EXPECT_EQ(FindMetric(stored, "acc")->step, 2);
  EXPECT_TRUE(std::isnan(FindMetric(stored, "loss")->value));
  EXPECT_EQ(FindTag(stored.params, "depth"), "3");
  EXPECT_EQ(FindTag(stored.tags, "kiln.output.model"), "abc");
  EXPECT_EQ(FindTag(stored.tags, "team"), "mine") << "a tag the run has keeps its value";
  EXPECT_EQ(FindTag(stored.tags, "mlflow.runName"), stored.info.run_name);
  auto history = t().GetMetricHistory(id, "acc", 100, "");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->items.size(), 1u) << "the history keeps the latest point only";
  EXPECT_EQ(history->items[0].value, 0.9);

  EXPECT_EQ(t().CopyRunResults(id, "nope").code(), StatusCode::kNotFound);
  EXPECT_EQ(t().CopyRunResults("nope", source).code(), StatusCode::kNotFound);
}

TEST_F(TrackingServiceTest, ParamsAreImmutable) {
  const std::string id = NewRun("0").info.run_id;
  ASSERT_TRUE(t().LogBatch(id, {{}, {{"p", "1"}}, {}}).ok());
  EXPECT_TRUE(t().LogBatch(id, {{}, {{"p", "1"}}, {}}).ok());  // same value is fine
  Batch change;
  change.params = {{"p", "2"}};
  change.metrics = {{"m", 1, 1, 0}};
  change.tags = {{"t", "x"}};
  Status status = t().LogBatch(id, change);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("'p'"), std::string::npos) << status.message();
  // The batch is atomic: nothing of it landed.
  tracking::Run stored = Get(id);
  EXPECT_EQ(FindTag(stored.params, "p"), "1");
  EXPECT_TRUE(stored.metrics.empty());
  EXPECT_FALSE(FindTag(stored.tags, "t").has_value());
}

TEST_F(TrackingServiceTest, DuplicateKeysInOneBatch) {
  const std::string id = NewRun("0").info.run_id;
  EXPECT_TRUE(t().LogBatch(id, {{}, {{"p", "1"}, {"p", "1"}}, {}}).ok());
  EXPECT_EQ(t().LogBatch(id, {{}, {{"q", "1"}, {"q", "2"}}, {}}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(FindTag(Get(id).params, "q").has_value());
  // Tags: the last value wins. Metrics: every value is history.
  ASSERT_TRUE(
      t().LogBatch(id, {{{"m", 1, 1, 0}, {"m", 2, 2, 0}}, {}, {{"t", "a"}, {"t", "b"}}}).ok());
  tracking::Run stored = Get(id);
  EXPECT_EQ(FindTag(stored.tags, "t"), "b");
  EXPECT_EQ(FindMetric(stored, "m")->value, 2);
  EXPECT_EQ(t().GetMetricHistory(id, "m", 100, "")->items.size(), 2u);
}

TEST_F(TrackingServiceTest, BatchLimits) {
  const std::string id = NewRun("0").info.run_id;
  Batch metrics;
  for (int i = 0; i < 1001; ++i) metrics.metrics.push_back({"m", double(i), i, i});
  Status status = t().LogBatch(id, metrics);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("1000"), std::string::npos) << status.message();
  metrics.metrics.pop_back();
  EXPECT_TRUE(t().LogBatch(id, metrics).ok());
  EXPECT_EQ(t().GetMetricHistory(id, "m", 5000, "")->items.size(), 1000u);

  Batch params;
  for (int i = 0; i < 101; ++i) params.params.push_back({"p" + std::to_string(i), "v"});
  EXPECT_EQ(t().LogBatch(id, params).code(), StatusCode::kInvalidArgument);
  params.params.pop_back();
  EXPECT_TRUE(t().LogBatch(id, params).ok());

  Batch tags;
  for (int i = 0; i < 101; ++i) tags.tags.push_back({"t" + std::to_string(i), "v"});
  EXPECT_EQ(t().LogBatch(id, tags).code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(FindTag(Get(id).tags, "t0").has_value());

  Batch long_value;
  long_value.params = {{"long", std::string(6001, 'x')}};
  EXPECT_EQ(t().LogBatch(id, long_value).code(), StatusCode::kInvalidArgument);
  long_value.params = {{"ok_long", std::string(6000, 'x')}};
  EXPECT_TRUE(t().LogBatch(id, long_value).ok());
}

TEST_F(TrackingServiceTest, InvalidKeysAreRefused) {
  const std::string id = NewRun("0").info.run_id;
  for (const std::string key : {"a/../b", "/x", "x/", "a//b", "./a", "bad*char", ""}) {
    Status metric = t().LogBatch(id, {{{key, 1, 1, 0}}, {}, {}});
    EXPECT_EQ(metric.code(), StatusCode::kInvalidArgument) << key;
    Status param = t().LogBatch(id, {{}, {{key, "v"}}, {}});
    EXPECT_EQ(param.code(), StatusCode::kInvalidArgument) << key;
    Status tag = t().LogBatch(id, {{}, {}, {{key, "v"}}});
    EXPECT_EQ(tag.code(), StatusCode::kInvalidArgument) << key;
    if (!key.empty()) {
      EXPECT_NE(metric.message().find(key), std::string::npos) << metric.message();
    }
  }
  EXPECT_TRUE(t().LogBatch(id, {{{"a/b.c-d_e f", 1, 1, 0}}, {}, {}}).ok());
  EXPECT_EQ(t().LogBatch(id, {{{"m", 1, -1, 0}}, {}, {}}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(t().LogBatch(id, {{{std::string(251, 'k'), 1, 1, 0}}, {}, {}}).code(),
            StatusCode::kInvalidArgument);
}

TEST_F(TrackingServiceTest, LatestMetricIsGreatestStepTimestampValue) {
  const std::string id = NewRun("0").info.run_id;
  auto latest = [&] { return *FindMetric(Get(id), "m"); };
  LogMetric(id, "m", 5, 100, 1);
  LogMetric(id, "m", 10, 200, 0);  // an older step logged later does not win
  EXPECT_EQ(latest().value, 5);
  LogMetric(id, "m", 7, 50, 1);  // same step, older timestamp
  EXPECT_EQ(latest().value, 5);
  LogMetric(id, "m", 3, 100, 1);  // same step and timestamp, smaller value
  EXPECT_EQ(latest().value, 5);
  LogMetric(id, "m", 6, 100, 1);  // same step and timestamp, greater value
  EXPECT_EQ(latest().value, 6);
  LogMetric(id, "m", 1, 101, 1);  // same step, newer timestamp
  EXPECT_EQ(latest().value, 1);
  EXPECT_EQ(latest().timestamp, 101);
  LogMetric(id, "m", kInf, 0, 2);  // greater step
  EXPECT_EQ(latest().value, kInf);
  EXPECT_EQ(latest().step, 2);
  LogMetric(id, "m", 1e300, 0, 2);  // nothing beats +Infinity on a tie
  EXPECT_EQ(latest().value, kInf);
  LogMetric(id, "m", -kInf, 0, 3);
  EXPECT_EQ(latest().value, -kInf);
  LogMetric(id, "m", kNaN, 0, 4);  // a greater step wins even with NaN
  EXPECT_TRUE(std::isnan(latest().value));
  EXPECT_EQ(latest().step, 4);
}

TEST_F(TrackingServiceTest, NanRanksLowestOnTies) {
  const std::string id = NewRun("0").info.run_id;
  auto latest = [&](const std::string& key) { return FindMetric(Get(id), key)->value; };
  LogMetric(id, "a", kNaN, 7, 0);
  EXPECT_TRUE(std::isnan(latest("a")));
  LogMetric(id, "a", -kInf, 7, 0);
  EXPECT_EQ(latest("a"), -kInf);
  LogMetric(id, "a", kNaN, 7, 0);
  EXPECT_EQ(latest("a"), -kInf);

  LogMetric(id, "b", -1e308, 7, 0);
  LogMetric(id, "b", kNaN, 7, 0);
  EXPECT_EQ(latest("b"), -1e308);
}

TEST_F(TrackingServiceTest, MetricHistoryOrderAndPaging) {
  const std::string id = NewRun("0").info.run_id;
  Batch batch;
  batch.metrics = {{"h", 30, 5, 3}, {"h", 10, 9, 1},   {"h", 20, 1, 2},
                   {"h", 11, 2, 1}, {"h", kNaN, 0, 0}, {"other", 1, 1, 1}};
  ASSERT_TRUE(t().LogBatch(id, batch).ok());
  auto all = t().GetMetricHistory(id, "h", 100, "");
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->next_page_token.empty());
  ASSERT_EQ(all->items.size(), 5u);
  EXPECT_TRUE(std::isnan(all->items[0].value));
  EXPECT_EQ(all->items[1].value, 11);  // step 1, ts 2
  EXPECT_EQ(all->items[2].value, 10);  // step 1, ts 9
  EXPECT_EQ(all->items[3].value, 20);
  EXPECT_EQ(all->items[4].value, 30);
  for (const Metric& m : all->items) EXPECT_EQ(m.key, "h");

  std::vector<double> paged;
  std::string token;
  int pages = 0;
  do {
    auto page = t().GetMetricHistory(id, "h", 2, token);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    EXPECT_LE(page->items.size(), 2u);
    for (const Metric& m : page->items) paged.push_back(m.step * 100 + m.timestamp);
    token = page->next_page_token;
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(paged, (std::vector<double>{0, 102, 109, 201, 305}));

  EXPECT_TRUE(t().GetMetricHistory(id, "unknown", 10, "")->items.empty());
  EXPECT_EQ(t().GetMetricHistory("nope", "h", 10, "").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(t().GetMetricHistory(id, "h", 10, "garbage").status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(TrackingServiceTest, DeleteTag) {
  const std::string id = NewRun("0").info.run_id;
  ASSERT_TRUE(t().LogBatch(id, {{}, {}, {{"t", "v"}}}).ok());
  ASSERT_TRUE(t().DeleteTag(id, "t").ok());
  EXPECT_FALSE(FindTag(Get(id).tags, "t").has_value());
  Status status = t().DeleteTag(id, "t");
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(t().DeleteTag("nope", "t").code(), StatusCode::kNotFound);
}

TEST_F(TrackingServiceTest, LogInputs) {
  const std::string id = NewRun("0").info.run_id;
  DatasetInput input;
  input.dataset = {"iris", "abc123", "local", "/data/iris.csv", "{\"cols\":[]}", ""};
  input.tags = {{"mlflow.data.context", "training"}};
  ASSERT_TRUE(t().LogInputs(id, {input}).ok());
  ASSERT_TRUE(t().LogInputs(id, {input}).ok());  // the same dataset again is not duplicated
  tracking::Run run = Get(id);
  ASSERT_EQ(run.inputs.size(), 1u);
  EXPECT_EQ(run.inputs[0].dataset.name, "iris");
  EXPECT_EQ(run.inputs[0].dataset.digest, "abc123");
  EXPECT_EQ(run.inputs[0].dataset.source, "/data/iris.csv");
  EXPECT_EQ(run.inputs[0].dataset.schema, "{\"cols\":[]}");
  ASSERT_EQ(run.inputs[0].tags.size(), 1u);
  EXPECT_EQ(run.inputs[0].tags[0].value, "training");

  DatasetInput nameless = input;
  nameless.dataset.name = "";
  EXPECT_EQ(t().LogInputs(id, {nameless}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(t().LogInputs("nope", {input}).code(), StatusCode::kNotFound);
}

// Entries with the same step and timestamp come back in the order they were logged (the
// stored seq column), across batches and pages; neither by value nor by key.
TEST_F(TrackingServiceTest, MetricHistoryKeepsLoggedOrderAtEqualStepAndTimestamp) {
  const std::string id = NewRun("0").info.run_id;
  Batch first;
  first.metrics = {{"h", 5, 7, 2}, {"other", 0, 7, 2}, {"h", 1, 7, 2}, {"h", 9, 7, 1}};
  Batch second;
  second.metrics = {{"h", 3, 7, 2}, {"h", 8, 7, 2}, {"h", 2, 7, 2}};
  ASSERT_TRUE(t().LogBatch(id, first).ok());
  ASSERT_TRUE(t().LogBatch(id, second).ok());
  std::vector<double> values;
  std::string token;
  do {
    auto page = t().GetMetricHistory(id, "h", 2, token);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    for (const Metric& m : page->items) values.push_back(m.value);
    token = page->next_page_token;
  } while (!token.empty() && values.size() < 20);
  EXPECT_EQ(values, (std::vector<double>{9, 5, 1, 3, 8, 2}));
}

// A run's inputs come back in the order they were first logged, not by name or digest.
TEST_F(TrackingServiceTest, RunInputsKeepTheirLoggedOrder) {
  const std::string id = NewRun("0").info.run_id;
  auto input = [](const std::string& name, const std::string& digest) {
    DatasetInput in;
    in.dataset = {name, digest, "local", "/data/" + name, "", ""};
    return in;
  };
  ASSERT_TRUE(t().LogInputs(id, {input("zeta", "9"), input("alpha", "5"), input("mid", "1")}).ok());
  ASSERT_TRUE(t().LogInputs(id, {input("beta", "0"), input("alpha", "5")}).ok());  // alpha: again
  ASSERT_TRUE(t().LogInputs(id, {input("alpha", "0")}).ok());  // a new digest is a new input
  std::vector<std::string> order;
  for (const DatasetInput& in : Get(id).inputs) {
    order.push_back(in.dataset.name + "/" + in.dataset.digest);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"zeta/9", "alpha/5", "mid/1", "beta/0", "alpha/0"}));
}

TEST_F(TrackingServiceTest, LogModelAppendsJsonHistory) {
  const std::string id = NewRun("0").info.run_id;
  ASSERT_TRUE(t().LogModel(id, R"({"artifact_path":"a"})").ok());
  EXPECT_EQ(FindTag(Get(id).tags, "mlflow.log-model.history"), R"([{"artifact_path":"a"}])");
  ASSERT_TRUE(t().LogModel(id, R"({"artifact_path":"b"})").ok());
  EXPECT_EQ(FindTag(Get(id).tags, "mlflow.log-model.history"),
            R"([{"artifact_path":"a"},{"artifact_path":"b"}])");
  EXPECT_EQ(t().LogModel("nope", "{}").code(), StatusCode::kNotFound);
}

// ---------------------------------------------------------------- search runs

class SearchRunsTest : public TrackingServiceTest {
 protected:
  void SetUp() override {
    TrackingServiceTest::SetUp();
    exp_ = NewExperiment("search");
    other_exp_ = NewExperiment("elsewhere");
    alpha_ = NewRun(exp_, "alpha", 1000).info.run_id;
    beta_ = NewRun(exp_, "beta", 2000).info.run_id;
    gamma_ = NewRun(exp_, "gamma", 3000).info.run_id;
    delta_ = NewRun(exp_, "delta", 4000).info.run_id;
    NewRun(other_exp_, "outsider", 5000);
    Log(alpha_, {{{"acc", 0.9, 1, 0}, {"loss", 0.1, 1, 0}},
                 {{"model", "xgb"}, {"lr", "0.1"}, {"group", "a"}},
                 {{"team", "Vision"}}});
    Log(beta_, {{{"acc", 0.7, 1, 0}}, {{"model", "linear"}, {"group", "b"}}, {{"team", "vision"}}});
    Log(gamma_,
        {{{"loss", 0.5, 1, 0}}, {{"model", "XGB-large"}, {"group", "a"}}, {{"team", "nlp"}}});
    Log(delta_, {{{"acc", 0.8, 1, 0}}, {{"model", "xgb"}}, {}});
    UpdateRunRequest finish{gamma_, std::string("FINISHED"), int64_t{3500}, std::nullopt};
    EXPECT_TRUE(t().UpdateRun(finish).ok());
    EXPECT_TRUE(t().DeleteRun(delta_).ok());
  }

  void Log(const std::string& id, const Batch& batch) {
    Status status = t().LogBatch(id, batch);
    EXPECT_TRUE(status.ok()) << status.ToString();
  }

  // Run names matching `filter` in the search experiment, in result order.
  std::vector<std::string> Names(const std::string& filter,
                                 const std::vector<std::string>& order_by = {},
                                 ViewType view = ViewType::kActiveOnly) {
    RunQuery query;
    query.experiment_ids = {exp_};
    query.filter = filter;
    query.order_by = order_by;
    query.view = view;
    auto page = t().SearchRuns(query);
    EXPECT_TRUE(page.ok()) << filter << ": " << page.status().ToString();
    std::vector<std::string> names;
    if (page.ok()) {
      for (const tracking::Run& run : page->items) names.push_back(run.info.run_name);
    }
    return names;
  }

  std::vector<std::string> Sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  }

  using Names_ = std::vector<std::string>;
  std::string exp_, other_exp_, alpha_, beta_, gamma_, delta_;
};

TEST_F(SearchRunsTest, DefaultOrderIsNewestFirstAndScopedToExperiments) {
  EXPECT_EQ(Names(""), (Names_{"gamma", "beta", "alpha"}));
  RunQuery everywhere;
  auto all = t().SearchRuns(everywhere);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->items.size(), 4u);
  RunQuery both;
  both.experiment_ids = {exp_, other_exp_};
  EXPECT_EQ(t().SearchRuns(both)->items.size(), 4u);
}

TEST_F(SearchRunsTest, ReturnedRunsCarryTheirData) {
  RunQuery query;
  query.experiment_ids = {exp_};
  query.filter = "attributes.run_name = 'alpha'";
  auto page = t().SearchRuns(query);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  const tracking::Run& run = page->items[0];
  EXPECT_EQ(run.info.run_id, alpha_);
  EXPECT_EQ(FindMetric(run, "acc")->value, 0.9);
  EXPECT_EQ(FindTag(run.params, "model"), "xgb");
  EXPECT_EQ(FindTag(run.tags, "team"), "Vision");
}

TEST_F(SearchRunsTest, MetricFilters) {
  EXPECT_EQ(Sorted(Names("metrics.acc > 0.75")), (Names_{"alpha"}));
  EXPECT_EQ(Sorted(Names("metrics.acc >= 0.7")), (Names_{"alpha", "beta"}));
  EXPECT_EQ(Sorted(Names("metrics.acc < 0.8")), (Names_{"beta"}));
  EXPECT_EQ(Sorted(Names("metrics.acc <= 0.9")), (Names_{"alpha", "beta"}));
  EXPECT_EQ(Sorted(Names("metrics.acc = 0.9")), (Names_{"alpha"}));
  EXPECT_EQ(Sorted(Names("metrics.acc != 0.9")), (Names_{"beta"}));
  EXPECT_EQ(Sorted(Names("metrics.acc IS NULL")), (Names_{"gamma"}));
  EXPECT_EQ(Sorted(Names("metrics.loss IS NOT NULL")), (Names_{"alpha", "gamma"}));
  EXPECT_EQ(Sorted(Names("metric.`loss` > 0.2")), (Names_{"gamma"}));
}

TEST_F(SearchRunsTest, ParamAndTagFilters) {
  EXPECT_EQ(Sorted(Names("params.model = 'xgb'")), (Names_{"alpha"}));
  EXPECT_EQ(Sorted(Names("params.model != 'xgb'")), (Names_{"beta", "gamma"}));
  EXPECT_EQ(Sorted(Names("params.model LIKE 'xgb%'")), (Names_{"alpha"}));  // case-sensitive
  EXPECT_EQ(Sorted(Names("params.model LIKE 'XGB%'")), (Names_{"gamma"}));
  EXPECT_EQ(Sorted(Names("params.model ILIKE 'xgb%'")), (Names_{"alpha", "gamma"}));
  EXPECT_EQ(Sorted(Names("params.model IN ('xgb', 'linear')")), (Names_{"alpha", "beta"}));
  EXPECT_EQ(Sorted(Names("params.model NOT IN ('xgb')")), (Names_{"beta", "gamma"}));
  EXPECT_EQ(Sorted(Names("params.lr IS NULL")), (Names_{"beta", "gamma"}));
  EXPECT_EQ(Sorted(Names("tags.team = 'vision'")), (Names_{"beta"}));
  EXPECT_EQ(Sorted(Names("tags.team ILIKE 'VISION'")), (Names_{"alpha", "beta"}));
  EXPECT_EQ(Sorted(Names("tags.team LIKE '%i%'")), (Names_{"alpha", "beta"}));
  EXPECT_EQ(Sorted(Names("tags.team IS NOT NULL")), (Names_{"alpha", "beta", "gamma"}));
  EXPECT_EQ(Sorted(Names("tags.`mlflow.runName` = 'beta'")), (Names_{"beta"}));
}

TEST_F(SearchRunsTest, AttributeFilters) {
  EXPECT_EQ(Sorted(Names("attributes.status = 'FINISHED'")), (Names_{"gamma"}));
  EXPECT_EQ(Sorted(Names("status != 'FINISHED'")), (Names_{"alpha", "beta"}));
  EXPECT_EQ(Sorted(Names("run_name LIKE '%a'")), (Names_{"alpha", "beta", "gamma"}));
  EXPECT_EQ(Sorted(Names("attributes.run_name IN ('alpha', 'gamma')")), (Names_{"alpha", "gamma"}));
  EXPECT_EQ(Sorted(Names("attributes.start_time >= 2000")), (Names_{"beta", "gamma"}));
  EXPECT_EQ(Sorted(Names("attributes.end_time IS NULL")), (Names_{"alpha", "beta"}));
  EXPECT_EQ(Sorted(Names("attributes.run_id = '" + beta_ + "'")), (Names_{"beta"}));
  EXPECT_EQ(Sorted(Names("metrics.acc > 0 AND params.model = 'linear' AND tags.team = 'vision'")),
            (Names_{"beta"}));
  EXPECT_TRUE(Names("metrics.acc > 0 AND params.model = 'XGB-large'").empty());
}

TEST_F(SearchRunsTest, OrderByMetricPutsMissingLast) {
  EXPECT_EQ(Names("", {"metrics.acc DESC"}), (Names_{"alpha", "beta", "gamma"}));
  EXPECT_EQ(Names("", {"metrics.acc ASC"}), (Names_{"beta", "alpha", "gamma"}));
  EXPECT_EQ(Names("", {"metrics.loss"}), (Names_{"alpha", "gamma", "beta"}));
}

TEST_F(SearchRunsTest, OrderByMultipleKeys) {
  EXPECT_EQ(Names("", {"params.group ASC", "metrics.acc DESC"}),
            (Names_{"alpha", "gamma", "beta"}));
  EXPECT_EQ(Names("", {"params.group DESC", "attributes.start_time DESC"}),
            (Names_{"beta", "gamma", "alpha"}));
  EXPECT_EQ(Names("", {"attributes.run_name DESC"}), (Names_{"gamma", "beta", "alpha"}));
  EXPECT_EQ(Names("", {"start_time ASC"}), (Names_{"alpha", "beta", "gamma"}));
}

TEST_F(SearchRunsTest, ViewTypes) {
  EXPECT_EQ(Names("", {}, ViewType::kDeletedOnly), (Names_{"delta"}));
  EXPECT_EQ(Sorted(Names("", {}, ViewType::kAll)), (Names_{"alpha", "beta", "delta", "gamma"}));
  EXPECT_EQ(Sorted(Names("metrics.acc >= 0.8", {}, ViewType::kAll)), (Names_{"alpha", "delta"}));
}

TEST_F(SearchRunsTest, BadQueriesAreInvalidArgument) {
  RunQuery query;
  query.filter = "metrics.acc >";
  auto bad = t().SearchRuns(query);
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("position"), std::string::npos) << bad.status().message();

  for (const char* filter :
       {"metrics.acc = 'x'", "params.p > 1", "nonsense.x = 1", "attributes.bogus = 'x'",
        "params.p = 'a' OR params.p = 'b'", "status > 'x'", "datasets.color = 'red'"}) {
    query.filter = filter;
    auto result = t().SearchRuns(query);
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument) << filter;
    EXPECT_NE(result.status().message().find("position"), std::string::npos)
        << filter << ": " << result.status().message();
  }
  query.filter = "";
  query.order_by = {"metrics.acc SIDEWAYS"};
  EXPECT_EQ(t().SearchRuns(query).status().code(), StatusCode::kInvalidArgument);
  query.order_by = {"attributes.bogus"};
  EXPECT_EQ(t().SearchRuns(query).status().code(), StatusCode::kInvalidArgument);
  query.order_by = {};
  query.experiment_ids = {"abc"};
  EXPECT_EQ(t().SearchRuns(query).status().code(), StatusCode::kInvalidArgument);
  query.experiment_ids = {};
  query.max_results = 0;
  EXPECT_EQ(t().SearchRuns(query).status().code(), StatusCode::kInvalidArgument);
  query.max_results = 50001;
  EXPECT_EQ(t().SearchRuns(query).status().code(), StatusCode::kInvalidArgument);
  query.max_results = 10;
  query.page_token = "not-a-token";
  EXPECT_EQ(t().SearchRuns(query).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(SearchRunsTest, DatasetFilters) {
  DatasetInput train;
  train.dataset = {"iris", "d1", "local", "/iris.csv", "", ""};
  train.tags = {{"mlflow.data.context", "training"}};
  DatasetInput eval;
  eval.dataset = {"wine", "d2", "local", "/wine.csv", "", ""};
  eval.tags = {{"mlflow.data.context", "eval"}};
  ASSERT_TRUE(t().LogInputs(alpha_, {train}).ok());
  ASSERT_TRUE(t().LogInputs(beta_, {eval}).ok());
  EXPECT_EQ(Sorted(Names("datasets.name = 'iris'")), (Names_{"alpha"}));
  EXPECT_EQ(Sorted(Names("datasets.digest IN ('d1', 'd2')")), (Names_{"alpha", "beta"}));
  EXPECT_EQ(Sorted(Names("datasets.name LIKE 'w%'")), (Names_{"beta"}));
  EXPECT_EQ(Sorted(Names("datasets.context = 'training'")), (Names_{"alpha"}));
  EXPECT_EQ(Sorted(Names("datasets.context = 'eval'")), (Names_{"beta"}));
  EXPECT_EQ(Sorted(Names("datasets.context IN ('training', 'eval')")), (Names_{"alpha", "beta"}));
  EXPECT_EQ(Sorted(Names("datasets.context != 'eval'")), (Names_{"alpha"}));
}

class RunPagingTest : public TrackingServiceTest {};

TEST_F(RunPagingTest, PagesCoverEveryRunOnce) {
  const std::string exp = NewExperiment("many");
  std::set<std::string> created;
  for (int i = 0; i < 23; ++i) {
    // Several runs share a start_time so the tie-break decides their order.
    tracking::Run run = NewRun(exp, "r" + std::to_string(i), 1000 + i / 3);
    created.insert(run.info.run_id);
    if (i % 4 != 0) LogMetric(run.info.run_id, "score", i % 5, 1, 0);
  }
  for (const std::vector<std::string>& order_by :
       {std::vector<std::string>{}, std::vector<std::string>{"metrics.score DESC"},
        std::vector<std::string>{"params.none ASC", "start_time ASC"}}) {
    std::vector<std::string> seen;
    RunQuery query;
    query.experiment_ids = {exp};
    query.order_by = order_by;
    query.max_results = 5;
    int pages = 0;
    do {
      auto page = t().SearchRuns(query);
      ASSERT_TRUE(page.ok()) << page.status().ToString();
      EXPECT_LE(page->items.size(), 5u);
      for (const tracking::Run& run : page->items) seen.push_back(run.info.run_id);
      query.page_token = page->next_page_token;
      ++pages;
    } while (!query.page_token.empty() && pages < 20);
    EXPECT_EQ(pages, 5);
    EXPECT_EQ(seen.size(), created.size());
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), created);
  }
}

// ---------------------------------------------------------------- search experiments

TEST_F(TrackingServiceTest, SearchExperimentsFilterOrderAndPaging) {
  NewExperiment("exp-a", {{"owner", "ann"}});
  NewExperiment("exp-b", {{"owner", "bob"}});
  NewExperiment("other", {{"owner", "ann"}});
  const std::string gone = NewExperiment("exp-gone");
  ASSERT_TRUE(t().DeleteExperiment(gone).ok());

  auto names = [&](ExperimentQuery query) {
    std::vector<std::string> out;
    auto page = t().SearchExperiments(query);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (page.ok()) {
      for (const Experiment& e : page->items) out.push_back(e.name);
    }
    return out;
  };
  using V = std::vector<std::string>;
  ExperimentQuery query;
  query.order_by = {"name ASC"};
  EXPECT_EQ(names(query), (V{"Default", "exp-a", "exp-b", "other"}));
  query.filter = "name LIKE 'exp-%'";
  EXPECT_EQ(names(query), (V{"exp-a", "exp-b"}));
  query.filter = "tags.owner = 'ann'";
  EXPECT_EQ(names(query), (V{"exp-a", "other"}));
  query.filter = "name ILIKE 'EXP%' AND tags.owner != 'ann'";
  EXPECT_EQ(names(query), (V{"exp-b"}));
  query.filter = "tags.owner IS NULL";
  EXPECT_EQ(names(query), (V{"Default"}));
  query.filter = "tags.owner IS NOT NULL AND name != 'other'";
  EXPECT_EQ(names(query), (V{"exp-a", "exp-b"}));
  query.filter = "";
  query.order_by = {"name DESC"};
  EXPECT_EQ(names(query), (V{"other", "exp-b", "exp-a", "Default"}));
  query.view = ViewType::kDeletedOnly;
  EXPECT_EQ(names(query), (V{"exp-gone"}));
  query.view = ViewType::kAll;
  EXPECT_EQ(names(query).size(), 5u);

  // Paging through all five, two at a time.
  query.order_by = {"experiment_id ASC"};
  query.max_results = 2;
  std::vector<std::string> ids;
  int pages = 0;
  do {
    auto page = t().SearchExperiments(query);
    ASSERT_TRUE(page.ok());
    for (const Experiment& e : page->items) ids.push_back(e.experiment_id);
    query.page_token = page->next_page_token;
    ++pages;
  } while (!query.page_token.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(ids, (V{"0", "1", "2", "3", "4"}));

  ExperimentQuery bad;
  bad.filter = "metrics.x > 1";
  auto result = t().SearchExperiments(bad);
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("position"), std::string::npos);
  bad.filter = "";
  bad.order_by = {"params.x"};
  EXPECT_EQ(t().SearchExperiments(bad).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace kiln::tracking
