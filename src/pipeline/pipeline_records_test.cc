#include "pipeline/pipeline_records.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "pipeline/run_records.h"

namespace kiln::pipeline {
namespace {

namespace fs = std::filesystem;

class PipelineRecordsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "kiln_pipelines_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto store = store::OpenSqliteStore((dir_ / "kiln.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    records_ = std::make_unique<PipelineRecords>(*store_);
  }
  void TearDown() override {
    records_.reset();
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  static PipelineDefinition Definition(const std::string& name, const std::string& spec) {
    return PipelineDefinition{name, spec, name + ".yaml", "/tmp/project", 2, 0, 0};
  }

  void AddRun(const std::string& run_id, const std::string& pipeline, int64_t created_ms,
              RunState state) {
    PipelineRunRecord run;
    run.run_id = run_id;
    run.pipeline_name = pipeline;
    run.file = pipeline + ".yaml";
    run.base_dir = "/tmp/project";
    run.spec = "name: " + pipeline;
    run.params_json = "{}";
    run.state = state;
    run.created_ms = created_ms;
    ASSERT_TRUE(RunRecords(*store_).Create(run).ok());
  }

  fs::path dir_;
  std::unique_ptr<store::MetaStore> store_;
  std::unique_ptr<PipelineRecords> records_;
};

TEST_F(PipelineRecordsTest, UpsertKeepsCreatedAndMovesUpdatedOnlyOnChange) {
  ASSERT_TRUE(records_->Upsert(Definition("iris", "v1"), 1000).ok());
  ASSERT_TRUE(records_->Upsert(Definition("iris", "v1"), 2000).ok());  // the same again
  Result<PipelineDefinition> same = records_->Get("iris");
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->created_ms, 1000);
  EXPECT_EQ(same->updated_ms, 1000);
  EXPECT_EQ(same->file, "iris.yaml");
  EXPECT_EQ(same->base_dir, "/tmp/project");
  EXPECT_EQ(same->step_count, 2);
  ASSERT_TRUE(records_->Upsert(Definition("iris", "v2"), 3000).ok());
  Result<PipelineDefinition> changed = records_->Get("iris");
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->spec, "v2");
  EXPECT_EQ(changed->created_ms, 1000);
  EXPECT_EQ(changed->updated_ms, 3000);
}

TEST_F(PipelineRecordsTest, UnknownNamesAreNotFound) {
  EXPECT_EQ(records_->Get("nope").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(records_->Delete("nope").code(), StatusCode::kNotFound);
}

TEST_F(PipelineRecordsTest, ListIsByNameWithTheNewestRunAndPages) {
  for (const char* name : {"c", "a", "b"}) {
    ASSERT_TRUE(records_->Upsert(Definition(name, "spec"), 10).ok());
  }
  AddRun("r1", "a", 100, RunState::kSucceeded);
  AddRun("r2", "a", 200, RunState::kFailed);
  AddRun("r3", "other", 300, RunState::kSucceeded);
  PipelineListQuery query;
  query.max_results = 2;
  Result<Page<PipelineSummary>> first = records_->List(query);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0].definition.name, "a");
  EXPECT_TRUE(first->items[0].definition.spec.empty());
  ASSERT_TRUE(first->items[0].last_run.has_value());
  EXPECT_EQ(first->items[0].last_run->run_id, "r2");
  EXPECT_EQ(first->items[0].last_run->status, "FAILED");
  EXPECT_EQ(first->items[0].last_run->created_ms, 200);
  EXPECT_EQ(first->items[1].definition.name, "b");
  EXPECT_FALSE(first->items[1].last_run.has_value());
  ASSERT_FALSE(first->next_page_token.empty());
  query.page_token = first->next_page_token;
  Result<Page<PipelineSummary>> second = records_->List(query);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].definition.name, "c");
  EXPECT_TRUE(second->next_page_token.empty());
  query.page_token = "garbage!";
  EXPECT_EQ(records_->List(query).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(PipelineRecordsTest, DeleteKeepsRuns) {
  ASSERT_TRUE(records_->Upsert(Definition("a", "spec"), 10).ok());
  AddRun("r1", "a", 100, RunState::kSucceeded);
  ASSERT_TRUE(records_->Delete("a").ok());
  EXPECT_EQ(records_->Get("a").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(RunRecords(*store_).CheckExists("r1").ok());
}

TEST_F(PipelineRecordsTest, RunListFiltersByPipeline) {
  AddRun("r1", "a", 100, RunState::kSucceeded);
  AddRun("r2", "b", 200, RunState::kSucceeded);
  AddRun("r3", "a", 300, RunState::kFailed);
  RunListQuery query;
  query.pipeline_name = "a";
  Result<Page<PipelineRunRecord>> page = RunRecords(*store_).List(query);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].run_id, "r3");
  EXPECT_EQ(page->items[1].run_id, "r1");
}

// The upserts of step rows, lineage edges and cache entries (portable ON CONFLICT forms).
TEST_F(PipelineRecordsTest, StepsEdgesAndCacheUpsertWithoutDuplicates) {
  AddRun("r1", "a", 100, RunState::kRunning);
  RunRecords runs(*store_);
  StepRecord step;
  step.step = "train";
  step.run_id = "c1";
  step.state = RunState::kRunning;
  const LineageEdge edge{"artifact", "d1", "step_run", "c1", "input:data"};
  ASSERT_TRUE(runs.SaveStep("r1", step, {edge}).ok());
  step.state = RunState::kFailed;
  step.attempts = 2;
  step.error = "exit 3";
  ASSERT_TRUE(runs.SaveStep("r1", step, {edge, edge}).ok());
  Result<PipelineRunRecord> run = runs.Get("r1");
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  ASSERT_EQ(run->steps.size(), 1u);
  EXPECT_EQ(run->steps[0].state, RunState::kFailed);
  EXPECT_EQ(run->steps[0].attempts, 2);
  EXPECT_EQ(run->steps[0].error, "exit 3");
  Result<std::vector<LineageEdge>> edges = runs.Lineage("step_run", "c1");
  ASSERT_TRUE(edges.ok());
  EXPECT_EQ(edges->size(), 1u);

  ASSERT_TRUE(runs.PutCache("k", "r1", "train", {{"model", ArtifactType::kFile, "d2"}}).ok());
  ASSERT_TRUE(runs.PutCache("k", "r1", "train", {{"model", ArtifactType::kFile, "d3"}}).ok());
  auto cached = runs.LookupCache("k");
  ASSERT_TRUE(cached.ok() && cached->has_value());
  ASSERT_EQ((*cached)->size(), 1u);
  EXPECT_EQ((**cached)[0].digest, "d2");  // the first entry stays

  ASSERT_TRUE(runs.SetRunState("r1", RunState::kFailed, "boom", 150, 170).ok());
  EXPECT_EQ(runs.Get("r1")->ended_ms, 170);
  ASSERT_TRUE(runs.SetRunState("r1", RunState::kRunning, "", 0, 0).ok());  // a re-run
  EXPECT_EQ(runs.Get("r1")->ended_ms, 0);
  EXPECT_EQ(runs.Get("r1")->started_ms, 150);
}

}  // namespace
}  // namespace kiln::pipeline
