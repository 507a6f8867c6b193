// The Executor contract: every promise of exec/executor.h, run against each implementation.
// An implementation joins with one line in kImpls at the end of this file. Executors are made
// only through MakeExecutor; tasks are /bin/sh scripts that report through files in the test's
// scratch folder, so what the tests observe does not depend on where the processes run, and
// no assertion depends on how fast a loaded machine is.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "exec/executor.h"
#include "exec/executor_factory.h"
#include "exec/executor_waiter.h"

namespace kiln::exec {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr auto kPatience = std::chrono::seconds(30);  // generous bound for a loaded machine

// One implementation under test: a new executor with the given capacity, or nullptr when the
// implementation is not available here (the tests are then skipped).
struct ExecutorImpl {
  const char* name;
  std::unique_ptr<Executor> (*make)(double cpus, int64_t memory_mb);
};

// How gtest names the implementation in test names and messages.
void PrintTo(const ExecutorImpl& impl, std::ostream* os) { *os << impl.name; }

std::string PrintImpl(const testing::TestParamInfo<ExecutorImpl>& info) { return info.param.name; }

ProcessSpec Sh(const std::string& script, double cpus = 1) {
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", script};
  spec.cpus = cpus;
  return spec;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Polls until `ready` holds; false if it does not within kPatience.
template <typename Fn>
bool Eventually(Fn ready) {
  const auto until = steady_clock::now() + kPatience;
  while (!ready()) {
    if (steady_clock::now() > until) return false;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return true;
}

class ExecutorContract : public testing::TestWithParam<ExecutorImpl> {
 protected:
  void SetUp() override {
    std::string pattern = fs::temp_directory_path() / "kiln_exec_contract_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    executor_ = Make(2, 1000);
    if (executor_ == nullptr) GTEST_SKIP() << GetParam().name << " is not available here";
  }
  void TearDown() override {
    executor_.reset();  // cancels what is left and waits for the callbacks
    for (const auto& [id, calls] : waiter_.Calls()) EXPECT_EQ(calls, 1) << "task " << id;
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  std::unique_ptr<Executor> Make(double cpus, int64_t memory_mb) {
    return GetParam().make(cpus, memory_mb);
  }
  TaskId SubmitOk(ProcessSpec spec) {
    Result<TaskId> id = executor_->Submit(std::move(spec), waiter_.Callback());
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }
  ProcessResult Run(ProcessSpec spec) { return waiter_.Wait(SubmitOk(std::move(spec))); }

  // A script that marks `name` started, then waits for the file "go" and exits.
  std::string Gated(const std::string& name) {
    return "echo up > " + File(name) + "; while [ ! -e " + File("go") + " ]; do sleep 0.02; done";
  }
  std::string File(const std::string& name) { return (dir_ / name).string(); }
  void Go() { std::ofstream(dir_ / "go") << "go\n"; }

  fs::path dir_;
  Waiter waiter_{kPatience};
  std::unique_ptr<Executor> executor_;
};

TEST_P(ExecutorContract, ASucceedingTaskIsDoneOnceWithItsTimes) {
  ProcessSpec spec;
  spec.argv = {"true"};  // looked up in PATH
  ProcessResult result = Run(spec);
  EXPECT_EQ(result.outcome, Outcome::kSucceeded) << result.message;
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.signal, 0);
  EXPECT_GT(result.started_ms, 0);
  EXPECT_GE(result.ended_ms, result.started_ms);
}

TEST_P(ExecutorContract, ANonZeroExitIsFailedWithTheCode) {
  ProcessResult result = Run(Sh("exit 3"));
  EXPECT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.message, "exit code 3");
}

TEST_P(ExecutorContract, ASignalIsFailedWithTheSignal) {
  ProcessResult result = Run(Sh("kill -9 $$"));
  EXPECT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_EQ(result.signal, 9);
  EXPECT_EQ(result.message, "killed by signal 9 (SIGKILL)");
}

TEST_P(ExecutorContract, ATaskOverItsTimeoutIsTimedOut) {
  ProcessSpec spec = Sh("sleep 100");
  spec.timeout_ms = 300;
  ProcessResult result = Run(spec);
  EXPECT_EQ(result.outcome, Outcome::kTimedOut);
  EXPECT_EQ(result.message, "timed out after 0.3 s");
  EXPECT_GT(result.started_ms, 0);
  EXPECT_GE(result.ended_ms, result.started_ms);
}

TEST_P(ExecutorContract, AMissingProgramIsStartFailed) {
  ProcessSpec spec;
  spec.argv = {"kiln-no-such-program", "--flag"};
  ProcessResult result = Run(spec);
  EXPECT_EQ(result.outcome, Outcome::kStartFailed);
  EXPECT_EQ(result.message, "cannot start 'kiln-no-such-program': No such file or directory");
  EXPECT_EQ(result.started_ms, 0);
}

TEST_P(ExecutorContract, EnvIsSetOnTopOfTheParents) {
  ASSERT_EQ(setenv("KILN_CONTRACT_PARENT", "from-parent", 1), 0);
  ASSERT_EQ(setenv("KILN_CONTRACT_OVERRIDDEN", "old", 1), 0);
  ProcessSpec spec = Sh("echo \"$KILN_CONTRACT_PARENT $KILN_CONTRACT_OVERRIDDEN " +
                        std::string("$KILN_CONTRACT_CHILD\" > ") + File("out"));
  spec.env = {{"KILN_CONTRACT_OVERRIDDEN", "new"}, {"KILN_CONTRACT_CHILD", "a b"}};
  ASSERT_EQ(Run(spec).outcome, Outcome::kSucceeded);
  EXPECT_EQ(ReadFile(dir_ / "out"), "from-parent new a b\n");
}

TEST_P(ExecutorContract, TheProgramIsLookedUpInTheChildsPath) {
  fs::create_directory(dir_ / "bin");
  fs::path tool = dir_ / "bin" / "kiln-contract-tool";
  std::ofstream(tool) << "#!/bin/sh\necho tool ran > " << File("out") << "\n";
  fs::permissions(tool, fs::perms::owner_all);
  ProcessSpec spec;
  spec.argv = {"kiln-contract-tool"};
  spec.env = {{"PATH", (dir_ / "bin").string() + ":/usr/bin:/bin"}};
  ProcessResult result = Run(spec);
  EXPECT_EQ(result.outcome, Outcome::kSucceeded) << result.message;
  EXPECT_EQ(ReadFile(dir_ / "out"), "tool ran\n");
}

TEST_P(ExecutorContract, TheWorkingDirIsHonoured) {
  fs::create_directory(dir_ / "work");
  ProcessSpec spec = Sh("pwd -P > " + File("out") + "; touch made-here");
  spec.working_dir = dir_ / "work";
  ASSERT_EQ(Run(spec).outcome, Outcome::kSucceeded);
  EXPECT_EQ(ReadFile(dir_ / "out"), fs::canonical(dir_ / "work").string() + "\n");
  EXPECT_TRUE(fs::exists(dir_ / "work" / "made-here"));
}

TEST_P(ExecutorContract, StdoutAndStderrAreAppendedToTheLog) {
  ProcessSpec spec = Sh("echo to-stdout; echo to-stderr >&2");
  spec.log_path = dir_ / "step.log";
  ASSERT_EQ(Run(spec).outcome, Outcome::kSucceeded);
  ASSERT_EQ(Run(spec).outcome, Outcome::kSucceeded);
  EXPECT_EQ(ReadFile(spec.log_path), "to-stdout\nto-stderr\nto-stdout\nto-stderr\n");
  EXPECT_EQ(fs::status(spec.log_path).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                fs::perms::others_read);
}

TEST_P(ExecutorContract, InvalidSubmitsAreRefused) {
  const std::vector<std::pair<std::string, ProcessSpec>> cases = [] {
    std::vector<std::pair<std::string, ProcessSpec>> c;
    c.emplace_back("empty argv", ProcessSpec{});
    c.emplace_back("no cpus", Sh("true", 0));
    c.emplace_back("negative cpus", Sh("true", -1));
    ProcessSpec memory = Sh("true");
    memory.memory_mb = -1;
    c.emplace_back("negative memory", memory);
    ProcessSpec timeout = Sh("true");
    timeout.timeout_ms = -1;
    c.emplace_back("negative timeout", timeout);
    return c;
  }();
  for (const auto& [what, spec] : cases) {
    Result<TaskId> id = executor_->Submit(spec, waiter_.Callback());
    EXPECT_EQ(id.status().code(), StatusCode::kInvalidArgument) << what;
  }
  EXPECT_TRUE(waiter_.Calls().empty());  // done is never called for a refused task
}

TEST_P(ExecutorContract, ATaskLargerThanTheWholeCapacityIsRefusedNamingBothNumbers) {
  Result<TaskId> id = executor_->Submit(Sh("true", 3), waiter_.Callback());
  ASSERT_EQ(id.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(id.status().message().find('3'), std::string::npos) << id.status().message();
  EXPECT_NE(id.status().message().find('2'), std::string::npos) << id.status().message();
  ProcessSpec memory = Sh("true");
  memory.memory_mb = 1001;
  id = executor_->Submit(memory, waiter_.Callback());
  ASSERT_EQ(id.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(id.status().message().find("1001"), std::string::npos) << id.status().message();
  EXPECT_NE(id.status().message().find("1000"), std::string::npos) << id.status().message();
  // The whole capacity itself fits.
  ProcessSpec all = Sh("true", 2);
  all.memory_mb = 1000;
  EXPECT_EQ(Run(all).outcome, Outcome::kSucceeded);
}

TEST_P(ExecutorContract, TasksNeverExceedTheCapacity) {
  // Capacity 2 cpus: of three 1-cpu tasks that hold on until "go", two start, the third waits.
  std::vector<TaskId> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(SubmitOk(Sh(Gated("started" + std::to_string(i)))));
  ASSERT_TRUE(Eventually([&] {
    return fs::exists(dir_ / "started0") && fs::exists(dir_ / "started1");
  })) << "the first two tasks did not start";
  // A correct executor never starts the third here; a wrong one would within this wait.
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_FALSE(fs::exists(dir_ / "started2")) << "three 1-cpu tasks ran on 2 cpus";
  Go();
  for (TaskId id : ids) EXPECT_EQ(waiter_.Wait(id).outcome, Outcome::kSucceeded);
  EXPECT_TRUE(fs::exists(dir_ / "started2"));
}

TEST_P(ExecutorContract, MemoryIsCapacityToo) {
  ProcessSpec first = Sh(Gated("started0"));
  first.memory_mb = 600;
  ProcessSpec second = Sh(Gated("started1"));
  second.memory_mb = 600;
  TaskId a = SubmitOk(first);
  TaskId b = SubmitOk(second);
  ASSERT_TRUE(Eventually([&] { return fs::exists(dir_ / "started0"); }));
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_FALSE(fs::exists(dir_ / "started1")) << "1200 MB of tasks ran in 1000 MB";
  Go();
  EXPECT_EQ(waiter_.Wait(a).outcome, Outcome::kSucceeded);
  EXPECT_EQ(waiter_.Wait(b).outcome, Outcome::kSucceeded);
}

TEST_P(ExecutorContract, QueuedTasksStartInSubmissionOrder) {
  TaskId blocker = SubmitOk(Sh(Gated("blocker"), 2));
  std::vector<TaskId> ids;
  for (const char* name : {"a", "b", "c", "d"}) {
    ids.push_back(SubmitOk(Sh(std::string("echo ") + name + " >> " + File("order"), 2)));
  }
  ASSERT_TRUE(Eventually([&] { return fs::exists(dir_ / "blocker"); }));
  Go();
  EXPECT_EQ(waiter_.Wait(blocker).outcome, Outcome::kSucceeded);
  for (TaskId id : ids) EXPECT_EQ(waiter_.Wait(id).outcome, Outcome::kSucceeded);
  EXPECT_EQ(ReadFile(dir_ / "order"), "a\nb\nc\nd\n");
}

TEST_P(ExecutorContract, CancellingAQueuedTaskMeansItNeverStarts) {
  TaskId blocker = SubmitOk(Sh(Gated("blocker"), 2));
  ASSERT_TRUE(Eventually([&] { return fs::exists(dir_ / "blocker"); }));
  TaskId queued = SubmitOk(Sh("touch " + File("marker")));
  executor_->Cancel(queued);
  ProcessResult result = waiter_.Wait(queued);
  EXPECT_EQ(result.outcome, Outcome::kCancelled);
  EXPECT_EQ(result.message, "cancelled");
  EXPECT_EQ(result.started_ms, 0);
  Go();
  EXPECT_EQ(waiter_.Wait(blocker).outcome, Outcome::kSucceeded);
  // A task submitted after the cancelled one has run, so the cancelled one had its chance.
  EXPECT_EQ(Run(Sh("true", 2)).outcome, Outcome::kSucceeded);
  EXPECT_FALSE(fs::exists(dir_ / "marker"));
}

TEST_P(ExecutorContract, CancellingARunningTaskEndsItsWholeProcessGroup) {
  // The task leaves a child behind that writes "late" once it sees "go", which the test
  // creates only after done: "late" appears only if the child outlived the cancel.
  TaskId id = SubmitOk(Sh("(while [ ! -e " + File("go") + " ]; do sleep 0.02; done; touch " +
                          File("late") + ") & echo up > " + File("up") + "; wait"));
  ASSERT_TRUE(Eventually([&] { return fs::exists(dir_ / "up"); }));
  executor_->Cancel(id);
  ProcessResult result = waiter_.Wait(id);
  EXPECT_EQ(result.outcome, Outcome::kCancelled);
  EXPECT_EQ(result.message, "cancelled");
  EXPECT_GT(result.started_ms, 0);
  Go();
  std::this_thread::sleep_for(milliseconds(500));  // a survivor polls every 20 ms
  EXPECT_FALSE(fs::exists(dir_ / "late")) << "a process of the cancelled task lived on";
  executor_->Cancel(id);  // finished: ignored (TearDown checks done ran once)
}

TEST_P(ExecutorContract, CancelAllEndsQueuedAndRunningTasks) {
  std::vector<TaskId> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(SubmitOk(Sh(Gated("started" + std::to_string(i)))));
  ASSERT_TRUE(
      Eventually([&] { return fs::exists(dir_ / "started0") && fs::exists(dir_ / "started1"); }));
  executor_->CancelAll();
  for (TaskId id : ids) EXPECT_EQ(waiter_.Wait(id).outcome, Outcome::kCancelled);
  EXPECT_EQ(waiter_.Wait(ids[2]).started_ms, 0);
  EXPECT_EQ(waiter_.Wait(ids[3]).started_ms, 0);
  // The executor goes on taking work.
  EXPECT_EQ(Run(Sh("true")).outcome, Outcome::kSucceeded);
}

TEST_P(ExecutorContract, UnknownIdsAreIgnored) {
  TaskId id = SubmitOk(Sh("true"));
  EXPECT_EQ(waiter_.Wait(id).outcome, Outcome::kSucceeded);
  executor_->Cancel(id + 1000);
  executor_->Cancel(0);
  executor_->Cancel(id);
  EXPECT_EQ(Run(Sh("true")).outcome, Outcome::kSucceeded);
}

TEST_P(ExecutorContract, DoneCallbacksMaySubmitAndCancel) {
  std::mutex mu;
  std::condition_variable cv;
  Result<TaskId> second = Status(StatusCode::kInternal, "not yet");
  bool submitted = false;
  TaskId victim = SubmitOk(Sh(Gated("victim"), 1));
  Result<TaskId> first = executor_->Submit(Sh("true"), [&](TaskId, const ProcessResult&) {
    executor_->Cancel(victim);
    Result<TaskId> next = executor_->Submit(Sh("true"), waiter_.Callback());
    std::lock_guard lock(mu);
    second = next;
    submitted = true;
    cv.notify_all();
  });
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, kPatience, [&] { return submitted; }));
  }
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(waiter_.Wait(*second).outcome, Outcome::kSucceeded);
  EXPECT_EQ(waiter_.Wait(victim).outcome, Outcome::kCancelled);
}

std::unique_ptr<Executor> Local(double cpus, int64_t memory_mb) {
  auto executor = MakeExecutor({"local", cpus, memory_mb});
  EXPECT_TRUE(executor.ok()) << executor.status().ToString();
  return executor.ok() ? std::move(*executor) : nullptr;
}

// The implementations, one line each: a name and a maker of an executor with a capacity.
const ExecutorImpl kImpls[] = {
    {"local", Local},
};

INSTANTIATE_TEST_SUITE_P(Impl, ExecutorContract, testing::ValuesIn(kImpls), PrintImpl);

}  // namespace
}  // namespace kiln::exec
