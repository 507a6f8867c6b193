#include "exec/scheduler.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "exec/pipeline_service_fixture.h"

namespace kiln::exec {
namespace {

using pipeline::RunState;

constexpr int64_t kMinute = 60'000;
constexpr int64_t kStart = 1'700'000'000'000;

std::string Spec(const std::string& command) {
  return "name: job\nsteps:\n  only:\n    command: [sh, -c, \"" + command + "\"]\n";
}

class SchedulerTest : public testing::PipelineServiceFixture {
 protected:
  void SetUp() override {
    PipelineServiceFixture::SetUp();
    if (HasFatalFailure()) return;
    SchedulerOptions sched;
    sched.tick = std::chrono::milliseconds(20);
    sched.now = [this] { return now_.load(); };
    scheduler_ = std::make_unique<Scheduler>(*store_, *pipelines_, sched);
  }
  void TearDown() override {
    scheduler_.reset();
    PipelineServiceFixture::TearDown();
  }

  // A schedule firing every minute whose next fire is already `overdue_ms` in the past.
  pipeline::Schedule Add(const std::string& name, const std::string& command, bool overlap,
                         int64_t overdue_ms = 5 * kMinute) {
    pipeline::NewSchedule request;
    request.name = name;
    request.cron = "* * * * *";
    request.spec = Spec(command);
    request.base_dir = dir_.string();
    request.allow_overlap = overlap;
    Result<pipeline::Schedule> s = scheduler_->schedules().Create(request, now_ - overdue_ms);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    EXPECT_TRUE(scheduler_->schedules().MarkFired(s->schedule_id, "", now_ - overdue_ms).ok());
    return *s;
  }

  std::vector<pipeline::PipelineRunRecord> Runs(const std::string& schedule_id) {
    pipeline::RunListQuery query;
    query.schedule_id = schedule_id;
    auto page = pipelines_->records().List(query);
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->items : std::vector<pipeline::PipelineRunRecord>{};
  }

  std::atomic<int64_t> now_{kStart};
  std::unique_ptr<Scheduler> scheduler_;
};

TEST_F(SchedulerTest, OverdueScheduleFiresOnceAndAdvances) {
  pipeline::Schedule s = Add("once", "true", false);
  scheduler_->Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // ~15 ticks at the same time
  scheduler_->Stop();
  pipelines_->WaitIdle();
  std::vector<pipeline::PipelineRunRecord> runs = Runs(s.schedule_id);
  ASSERT_EQ(runs.size(), 1u);  // five missed minutes fire once
  EXPECT_EQ(pipelines_->records().Get(runs[0].run_id)->state, RunState::kSucceeded);
  Result<pipeline::Schedule> after = scheduler_->schedules().Get("once");
  EXPECT_EQ(after->last_run_id, runs[0].run_id);
  EXPECT_EQ(after->next_fire_ms, kStart - kStart % kMinute + kMinute);
}

TEST_F(SchedulerTest, LiveRunSkipsTheFireUnlessOverlapAllowed) {
  pipeline::Schedule solo = Add("solo", "sleep 30", false);
  pipeline::Schedule multi = Add("multi", "sleep 30", true);
  scheduler_->Tick();
  now_ += 2 * kMinute;  // both are due again while their first runs still sleep
  scheduler_->Tick();
  EXPECT_EQ(Runs(solo.schedule_id).size(), 1u);
  EXPECT_EQ(Runs(multi.schedule_id).size(), 2u);
  // Skipped fires still advance.
  EXPECT_GT(scheduler_->schedules().Get("solo")->next_fire_ms, now_.load());
  EXPECT_EQ(scheduler_->FireNow("solo").status().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(scheduler_->FireNow("multi").ok());
}

TEST_F(SchedulerTest, DisabledDoesNotFire) {
  pipeline::Schedule s = Add("off", "true", false);
  ASSERT_TRUE(scheduler_->schedules().SetEnabled("off", false, now_).ok());
  scheduler_->Tick();
  EXPECT_TRUE(Runs(s.schedule_id).empty());
}

TEST_F(SchedulerTest, SubmissionErrorIsLoggedAndAdvances) {
  pipeline::NewSchedule request;
  request.name = "broken";
  request.cron = "* * * * *";
  request.spec = "name: job\nsteps:\n  a:\n    uses: vanished@1.0.0\n";
  request.base_dir = dir_.string();
  Result<pipeline::Schedule> s = scheduler_->schedules().Create(request, now_ - 5 * kMinute);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_TRUE(scheduler_->schedules().MarkFired(s->schedule_id, "", now_ - kMinute).ok());
  scheduler_->Tick();
  EXPECT_TRUE(Runs(s->schedule_id).empty());
  EXPECT_GT(scheduler_->schedules().Get("broken")->next_fire_ms, now_.load());
  EXPECT_EQ(scheduler_->FireNow("broken").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(SchedulerTest, FireNowStartsARunAndRecordsIt) {
  pipeline::Schedule s = Add("manual", "true", false, -10 * kMinute);  // not due
  Result<std::string> run_id = scheduler_->FireNow("manual");
  ASSERT_TRUE(run_id.ok()) << run_id.status().ToString();
  pipelines_->WaitIdle();
  EXPECT_EQ(pipelines_->records().Get(*run_id)->schedule_id, s.schedule_id);
  EXPECT_EQ(scheduler_->schedules().Get("manual")->last_run_id, *run_id);
  EXPECT_EQ(scheduler_->FireNow("nope").status().code(), StatusCode::kNotFound);
}

TEST_F(SchedulerTest, StopIsPrompt) {
  SchedulerOptions slow;
  slow.tick = std::chrono::hours(1);
  Scheduler scheduler(*store_, *pipelines_, slow);
  scheduler.Start();
  const auto begin = std::chrono::steady_clock::now();
  scheduler.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(2));
}

}  // namespace
}  // namespace kiln::exec
