#include "pipeline/schedule_records.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

namespace kiln::pipeline {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSpec = "name: nightly\nsteps:\n  hello:\n    command: [sh, -c, \"true\"]\n";
constexpr int64_t kMinute = 60'000;
constexpr int64_t kNow = 1'700'000'000'000;  // 2023-11-14T22:13:20Z

class ScheduleRecordsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "kiln_sched_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto store = store::OpenSqliteStore((dir_ / "kiln.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    records_ = std::make_unique<ScheduleRecords>(*store_);
  }
  void TearDown() override {
    records_.reset();
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  NewSchedule Request(const std::string& name, const std::string& cron = "*/5 * * * *") {
    NewSchedule request;
    request.name = name;
    request.cron = cron;
    request.file = "nightly.yaml";
    request.spec = kSpec;
    request.base_dir = "/tmp/project";
    request.overrides = {"a=1"};
    return request;
  }

  fs::path dir_;
  std::unique_ptr<store::MetaStore> store_;
  std::unique_ptr<ScheduleRecords> records_;
};

TEST_F(ScheduleRecordsTest, CreateGetListRoundTrip) {
  Result<Schedule> created = records_->Create(Request("nightly-1"), kNow);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->schedule_id.size(), 32u);
  EXPECT_EQ(created->next_fire_ms, kNow - kNow % (5 * kMinute) + 5 * kMinute);
  for (const std::string& key : {created->schedule_id, std::string("nightly-1")}) {
    Result<Schedule> got = records_->Get(key);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(got->name, "nightly-1");
    EXPECT_EQ(got->base_dir, "/tmp/project");
    EXPECT_EQ(got->overrides, std::vector<std::string>{"a=1"});
    EXPECT_EQ(got->file, "nightly.yaml");
    EXPECT_TRUE(got->enabled);
    EXPECT_FALSE(got->allow_overlap);
    EXPECT_EQ(got->last_run_id, "");
  }
  ASSERT_TRUE(records_->Create(Request("a-first"), kNow).ok());
  Result<std::vector<Schedule>> all = records_->List();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "a-first");
}

TEST_F(ScheduleRecordsTest, NameDefaultsToThePipelineName) {
  Result<Schedule> created = records_->Create(Request(""), kNow);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->name, "nightly");
}

TEST_F(ScheduleRecordsTest, ErrorsNameTheField) {
  Result<Schedule> bad_name = records_->Create(Request("has space"), kNow);
  EXPECT_EQ(bad_name.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad_name.status().message().find("name: 'has space'"), std::string::npos);

  Result<Schedule> bad_cron = records_->Create(Request("x", "0 25 * * *"), kNow);
  EXPECT_EQ(bad_cron.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad_cron.status().message().find("hour: 25"), std::string::npos)
      << bad_cron.status().message();

  Result<Schedule> never = records_->Create(Request("x", "0 0 31 4 *"), kNow);
  EXPECT_NE(never.status().message().find("never fires"), std::string::npos);

  NewSchedule bad_spec = Request("x");
  bad_spec.spec = "name: x\nsteps:\n  a:\n    bogus: 1\n";
  Result<Schedule> spec = records_->Create(bad_spec, kNow);
  EXPECT_EQ(spec.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(spec.status().message().rfind("nightly.yaml:4:", 0), 0u) << spec.status().message();

  NewSchedule sweep = Request("x");
  sweep.overrides = {"lr=0.1,0.2"};
  Result<Schedule> swept = records_->Create(sweep, kNow);
  EXPECT_NE(swept.status().message().find("'lr=0.1,0.2' is a sweep"), std::string::npos)
      << swept.status().message();
  sweep.overrides = {"=bad"};
  EXPECT_EQ(records_->Create(sweep, kNow).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(ScheduleRecordsTest, DuplicateNameAlreadyExists) {
  ASSERT_TRUE(records_->Create(Request("dup"), kNow).ok());
  Result<Schedule> again = records_->Create(Request("dup"), kNow);
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(again.status().message().find("'dup'"), std::string::npos);
}

TEST_F(ScheduleRecordsTest, DueMarkFiredEnableDelete) {
  Result<Schedule> s = records_->Create(Request("due"), kNow);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(records_->Due(kNow)->empty());
  ASSERT_EQ(records_->Due(s->next_fire_ms)->size(), 1u);

  ASSERT_TRUE(records_->MarkFired(s->schedule_id, "run-1", s->next_fire_ms + kMinute).ok());
  EXPECT_TRUE(records_->Due(s->next_fire_ms)->empty());
  ASSERT_TRUE(records_->MarkFired(s->schedule_id, "", s->next_fire_ms).ok());
  EXPECT_EQ(records_->Get("due")->last_run_id, "run-1");  // a skipped fire keeps the last run

  ASSERT_TRUE(records_->SetEnabled("due", false, kNow).ok());
  EXPECT_TRUE(records_->Due(s->next_fire_ms)->empty());
  // Enabling drops what was missed: the next fire is after the enabling time.
  Result<Schedule> enabled = records_->SetEnabled("due", true, kNow + 60 * kMinute);
  ASSERT_TRUE(enabled.ok());
  EXPECT_GT(enabled->next_fire_ms, kNow + 60 * kMinute);

  ASSERT_TRUE(records_->Delete("due").ok());
  EXPECT_EQ(records_->Get("due").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(records_->Delete("due").code(), StatusCode::kNotFound);
  EXPECT_EQ(records_->MarkFired(s->schedule_id, "r", 0).code(), StatusCode::kNotFound);
  EXPECT_EQ(records_->SetEnabled("due", true, kNow).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace kiln::pipeline
