#include "exec/local_executor.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "exec/executor_waiter.h"

namespace kiln::exec {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

constexpr auto kPatience = seconds(20);  // generous bound for a loaded machine

ProcessSpec Sh(const std::string& script) {
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", script};
  return spec;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Waits until `path` holds a complete line; returns its contents.
std::string WaitForLine(const fs::path& path) {
  auto until = steady_clock::now() + kPatience;
  while (steady_clock::now() < until) {
    std::string text = ReadFile(path);
    if (!text.empty() && text.back() == '\n') return text;
    std::this_thread::sleep_for(milliseconds(5));
  }
  ADD_FAILURE() << "no line in " << path;
  return "";
}

// Whether `pid` is gone: no such process, or a zombie (the container's init may not reap
// orphans). Waits up to kPatience for it to go.
bool ProcessGone(pid_t pid) {
  auto until = steady_clock::now() + kPatience;
  while (steady_clock::now() < until) {
    if (kill(pid, 0) == -1 && errno == ESRCH) return true;
    std::string stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
    size_t paren = stat.rfind(')');
    if (paren != std::string::npos && stat.compare(paren, 3, ") Z") == 0) return true;
    std::this_thread::sleep_for(milliseconds(5));
  }
  return false;
}

class LocalExecutorTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = fs::temp_directory_path() / "kiln_exec_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  // Submits `spec` to `executor` and waits for its result.
  ProcessResult Run(Executor& executor, ProcessSpec spec) {
    Result<TaskId> id = executor.Submit(std::move(spec), waiter_.Callback());
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? waiter_.Wait(*id) : ProcessResult{};
  }
  TaskId SubmitOk(Executor& executor, ProcessSpec spec) {
    Result<TaskId> id = executor.Submit(std::move(spec), waiter_.Callback());
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }

  fs::path dir_;
  Waiter waiter_{kPatience};
};

TEST_F(LocalExecutorTest, OutcomeNames) {
  EXPECT_STREQ(OutcomeName(Outcome::kSucceeded), "succeeded");
  EXPECT_STREQ(OutcomeName(Outcome::kFailed), "failed");
  EXPECT_STREQ(OutcomeName(Outcome::kTimedOut), "timed_out");
  EXPECT_STREQ(OutcomeName(Outcome::kCancelled), "cancelled");
  EXPECT_STREQ(OutcomeName(Outcome::kStartFailed), "start_failed");
}

TEST_F(LocalExecutorTest, Succeeds) {
  auto executor = NewLocalExecutor();
  ProcessSpec spec;
  spec.argv = {"true"};
  ProcessResult result = Run(*executor, spec);
  EXPECT_EQ(result.outcome, Outcome::kSucceeded) << result.message;
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.signal, 0);
  EXPECT_GT(result.started_ms, 0);
  EXPECT_GE(result.ended_ms, result.started_ms);
}

TEST_F(LocalExecutorTest, FailsWithExitCode) {
  auto executor = NewLocalExecutor();
  ProcessResult result = Run(*executor, Sh("exit 3"));
  EXPECT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.message, "exit code 3");
}

TEST_F(LocalExecutorTest, KilledBySignal) {
  auto executor = NewLocalExecutor();
  ProcessResult result = Run(*executor, Sh("kill -9 $$"));
  EXPECT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_EQ(result.signal, 9);
  EXPECT_EQ(result.message, "killed by signal 9 (SIGKILL)");
}

TEST_F(LocalExecutorTest, AppendsStdoutAndStderrToLog) {
  auto executor = NewLocalExecutor();
  fs::path log = dir_ / "logs" / "step.log";  // the folder is created too
  ProcessSpec spec = Sh("echo to-stdout; echo to-stderr >&2");
  spec.log_path = log;
  ASSERT_EQ(Run(*executor, spec).outcome, Outcome::kSucceeded);
  ASSERT_EQ(Run(*executor, spec).outcome, Outcome::kSucceeded);
  EXPECT_EQ(ReadFile(log), "to-stdout\nto-stderr\nto-stdout\nto-stderr\n");
  EXPECT_EQ(fs::status(log).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                fs::perms::others_read);
}

TEST_F(LocalExecutorTest, StdinIsDevNull) {
  auto executor = NewLocalExecutor();
  ProcessSpec spec = Sh("cat; echo eof");
  spec.log_path = dir_ / "log";
  ASSERT_EQ(Run(*executor, spec).outcome, Outcome::kSucceeded);
  EXPECT_EQ(ReadFile(dir_ / "log"), "eof\n");
}

TEST_F(LocalExecutorTest, PassesEnvOnTopOfParentEnv) {
  ASSERT_EQ(setenv("KILN_EXEC_TEST_PARENT", "from-parent", 1), 0);
  ASSERT_EQ(setenv("KILN_EXEC_TEST_OVERRIDDEN", "old", 1), 0);
  auto executor = NewLocalExecutor();
  ProcessSpec spec =
      Sh("echo \"$KILN_EXEC_TEST_PARENT $KILN_EXEC_TEST_OVERRIDDEN $KILN_EXEC_TEST_CHILD\"");
  spec.env = {{"KILN_EXEC_TEST_OVERRIDDEN", "new"}, {"KILN_EXEC_TEST_CHILD", "a b"}};
  spec.log_path = dir_ / "log";
  ASSERT_EQ(Run(*executor, spec).outcome, Outcome::kSucceeded);
  EXPECT_EQ(ReadFile(dir_ / "log"), "from-parent new a b\n");
}

TEST_F(LocalExecutorTest, LooksUpProgramInTheChildsPath) {
  fs::create_directory(dir_ / "bin");
  fs::path tool = dir_ / "bin" / "kiln-test-tool";
  std::ofstream(tool) << "#!/bin/sh\necho tool ran\n";
  fs::permissions(tool, fs::perms::owner_all);
  auto executor = NewLocalExecutor();
  ProcessSpec spec;
  spec.argv = {"kiln-test-tool"};
  spec.env = {{"PATH", (dir_ / "bin").string() + ":/usr/bin:/bin"}};
  spec.log_path = dir_ / "log";
  ProcessResult result = Run(*executor, spec);
  EXPECT_EQ(result.outcome, Outcome::kSucceeded) << result.message;
  EXPECT_EQ(ReadFile(dir_ / "log"), "tool ran\n");
}

TEST_F(LocalExecutorTest, HonoursWorkingDir) {
  fs::create_directory(dir_ / "work");
  auto executor = NewLocalExecutor();
  ProcessSpec spec = Sh("pwd -P; touch made-here");
  spec.working_dir = dir_ / "work";
  spec.log_path = dir_ / "log";
  ASSERT_EQ(Run(*executor, spec).outcome, Outcome::kSucceeded);
  EXPECT_EQ(ReadFile(dir_ / "log"), fs::canonical(dir_ / "work").string() + "\n");
  EXPECT_TRUE(fs::exists(dir_ / "work" / "made-here"));
}

TEST_F(LocalExecutorTest, ProgramNotFoundIsStartFailed) {
  auto executor = NewLocalExecutor();
  ProcessSpec spec;
  spec.argv = {"kiln-no-such-program", "--flag"};
  spec.log_path = dir_ / "log";
  ProcessResult result = Run(*executor, spec);
  EXPECT_EQ(result.outcome, Outcome::kStartFailed);
  EXPECT_EQ(result.message, "cannot start 'kiln-no-such-program': No such file or directory");
  EXPECT_EQ(result.started_ms, 0);
  EXPECT_EQ(ReadFile(dir_ / "log"), result.message + "\n");
}

TEST_F(LocalExecutorTest, ProgramPathNotFoundIsStartFailed) {
  auto executor = NewLocalExecutor();
  ProcessSpec spec;
  spec.argv = {(dir_ / "missing").string()};
  ProcessResult result = Run(*executor, spec);
  EXPECT_EQ(result.outcome, Outcome::kStartFailed);
  EXPECT_EQ(result.message,
            "cannot start '" + (dir_ / "missing").string() + "': No such file or directory");
}

TEST_F(LocalExecutorTest, NotExecutableIsStartFailed) {
  fs::path script = dir_ / "script.sh";
  std::ofstream(script) << "#!/bin/sh\n";
  auto executor = NewLocalExecutor();
  ProcessSpec spec;
  spec.argv = {script.string()};
  spec.log_path = dir_ / "log";
  ProcessResult result = Run(*executor, spec);
  EXPECT_EQ(result.outcome, Outcome::kStartFailed);
  EXPECT_EQ(result.message, "cannot start '" + script.string() + "': Permission denied");
  EXPECT_EQ(ReadFile(dir_ / "log"), result.message + "\n");
}

TEST_F(LocalExecutorTest, MissingWorkingDirIsStartFailed) {
  auto executor = NewLocalExecutor();
  ProcessSpec spec = Sh("true");
  spec.working_dir = dir_ / "nowhere";
  spec.log_path = dir_ / "log";
  ProcessResult result = Run(*executor, spec);
  EXPECT_EQ(result.outcome, Outcome::kStartFailed);
  EXPECT_EQ(result.message, "cannot start '/bin/sh': working directory '" +
                                (dir_ / "nowhere").string() + "': No such file or directory");
  EXPECT_EQ(ReadFile(dir_ / "log"), result.message + "\n");
}

TEST_F(LocalExecutorTest, TimeoutKillsTheWholeGroup) {
  auto executor = NewLocalExecutor();
  fs::path pid_file = dir_ / "pid";
  ProcessSpec spec = Sh("sleep 100 & echo $! > " + pid_file.string() + "; sleep 100");
  spec.timeout_ms = 300;
  ProcessResult result = Run(*executor, spec);
  EXPECT_EQ(result.outcome, Outcome::kTimedOut);
  EXPECT_EQ(result.message, "timed out after 0.3 s");
  EXPECT_EQ(result.signal, SIGTERM);
  pid_t grandchild = std::stoi(WaitForLine(pid_file));
  EXPECT_TRUE(ProcessGone(grandchild));
}

TEST_F(LocalExecutorTest, TimeoutEscalatesToSigkill) {
  LocalExecutorOptions options;
  options.kill_grace_ms = 100;
  auto executor = NewLocalExecutor(options);
  fs::path pid_file = dir_ / "pid";
  // Ignored signals stay ignored across exec, so the sleeps ignore SIGTERM too.
  ProcessSpec spec = Sh("trap '' TERM; sleep 100 & echo $! > " + pid_file.string() + "; sleep 100");
  spec.timeout_ms = 200;
  ProcessResult result = Run(*executor, spec);
  EXPECT_EQ(result.outcome, Outcome::kTimedOut);
  EXPECT_EQ(result.signal, SIGKILL);
  EXPECT_TRUE(ProcessGone(std::stoi(WaitForLine(pid_file))));
}

TEST_F(LocalExecutorTest, CancelRunningKillsTheWholeGroup) {
  auto executor = NewLocalExecutor();
  fs::path pid_file = dir_ / "pid";
  TaskId id = SubmitOk(*executor, Sh("sleep 100 & echo $! > " + pid_file.string() + "; wait"));
  pid_t grandchild = std::stoi(WaitForLine(pid_file));
  executor->Cancel(id);
  ProcessResult result = waiter_.Wait(id);
  EXPECT_EQ(result.outcome, Outcome::kCancelled);
  EXPECT_EQ(result.message, "cancelled");
  EXPECT_GT(result.started_ms, 0);
  EXPECT_TRUE(ProcessGone(grandchild));
  executor->Cancel(id);  // finished: ignored
  executor->Cancel(12345);
  EXPECT_EQ(waiter_.Calls(id), 1);
}

TEST_F(LocalExecutorTest, KillsStraysWhenTheMainProcessExits) {
  auto executor = NewLocalExecutor();
  fs::path pid_file = dir_ / "pid";
  ProcessResult result = Run(*executor, Sh("sleep 100 & echo $! > " + pid_file.string()));
  EXPECT_EQ(result.outcome, Outcome::kSucceeded);
  EXPECT_TRUE(ProcessGone(std::stoi(WaitForLine(pid_file))));
}

TEST_F(LocalExecutorTest, CancelQueuedNeverStarts) {
  LocalExecutorOptions options;
  options.cpus = 1;
  auto executor = NewLocalExecutor(options);
  fs::path started = dir_ / "started";
  TaskId blocker = SubmitOk(*executor, Sh("echo up > " + started.string() + "; sleep 100"));
  WaitForLine(started);
  TaskId queued = SubmitOk(*executor, Sh("touch " + (dir_ / "marker").string()));
  executor->Cancel(queued);
  ProcessResult result = waiter_.Wait(queued);
  EXPECT_EQ(result.outcome, Outcome::kCancelled);
  EXPECT_EQ(result.started_ms, 0);
  executor->Cancel(blocker);
  EXPECT_EQ(waiter_.Wait(blocker).outcome, Outcome::kCancelled);
  EXPECT_FALSE(fs::exists(dir_ / "marker"));
  EXPECT_EQ(waiter_.Calls(queued), 1);
}

TEST_F(LocalExecutorTest, CancelAllStopsQueuedAndRunning) {
  LocalExecutorOptions options;
  options.cpus = 2;
  auto executor = NewLocalExecutor(options);
  std::vector<TaskId> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(SubmitOk(*executor, Sh("sleep 100")));
  executor->CancelAll();
  for (TaskId id : ids) EXPECT_EQ(waiter_.Wait(id).outcome, Outcome::kCancelled);
}

// Start and end times (ns) a task wrote to its file.
struct Interval {
  int64_t begin = 0, end = 0;
};

Interval ReadInterval(const fs::path& path) {
  std::istringstream in(ReadFile(path));
  Interval interval;
  in >> interval.begin >> interval.end;
  return interval;
}

ProcessSpec RecordInterval(const fs::path& path, double cpus) {
  std::string file = path.string();
  ProcessSpec spec = Sh("date +%s%N > " + file + "; sleep 0.1; date +%s%N >> " + file);
  spec.cpus = cpus;
  return spec;
}

int MaxOverlap(const std::vector<Interval>& intervals) {
  std::vector<std::pair<int64_t, int>> events;  // ends sort before starts at equal times
  for (const Interval& i : intervals) {
    events.emplace_back(i.begin, 1);
    events.emplace_back(i.end, -1);
  }
  std::sort(events.begin(), events.end());
  int now = 0, most = 0;
  for (auto [time, delta] : events) most = std::max(most, now += delta);
  return most;
}

TEST_F(LocalExecutorTest, NeverExceedsCpuCapacity) {
  LocalExecutorOptions options;
  options.cpus = 2;
  auto executor = NewLocalExecutor(options);
  std::vector<TaskId> ids;
  for (int i = 0; i < 4; ++i) {
    ids.push_back(SubmitOk(*executor, RecordInterval(dir_ / std::to_string(i), 1)));
  }
  std::vector<Interval> intervals;
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(waiter_.Wait(ids[i]).outcome, Outcome::kSucceeded);
    intervals.push_back(ReadInterval(dir_ / std::to_string(i)));
  }
  EXPECT_LE(MaxOverlap(intervals), 2);
}

TEST_F(LocalExecutorTest, TaskNeedingAllCpusRunsAlone) {
  LocalExecutorOptions options;
  options.cpus = 2;
  auto executor = NewLocalExecutor(options);
  std::vector<double> cpus = {1, 1, 2, 1, 1};
  std::vector<TaskId> ids;
  for (size_t i = 0; i < cpus.size(); ++i) {
    ids.push_back(SubmitOk(*executor, RecordInterval(dir_ / std::to_string(i), cpus[i])));
  }
  std::vector<Interval> intervals;
  for (size_t i = 0; i < ids.size(); ++i) {
    ASSERT_EQ(waiter_.Wait(ids[i]).outcome, Outcome::kSucceeded);
    intervals.push_back(ReadInterval(dir_ / std::to_string(i)));
  }
  for (size_t i = 0; i < intervals.size(); ++i) {
    if (i == 2) continue;
    EXPECT_EQ(MaxOverlap({intervals[2], intervals[i]}), 1) << "task " << i;
  }
  EXPECT_LE(MaxOverlap(intervals), 2);
}

TEST_F(LocalExecutorTest, MemoryIsCapacityToo) {
  LocalExecutorOptions options;
  options.cpus = 4;
  options.memory_mb = 1000;
  auto executor = NewLocalExecutor(options);
  std::vector<TaskId> ids;
  for (int i = 0; i < 3; ++i) {
    ProcessSpec spec = RecordInterval(dir_ / std::to_string(i), 1);
    spec.memory_mb = 600;
    ids.push_back(SubmitOk(*executor, spec));
  }
  std::vector<Interval> intervals;
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(waiter_.Wait(ids[i]).outcome, Outcome::kSucceeded);
    intervals.push_back(ReadInterval(dir_ / std::to_string(i)));
  }
  EXPECT_EQ(MaxOverlap(intervals), 1);
}

TEST_F(LocalExecutorTest, RejectsInvalidAndOverCapacitySubmits) {
  LocalExecutorOptions options;
  options.cpus = 2;
  options.memory_mb = 1000;
  auto executor = NewLocalExecutor(options);
  ProcessSpec too_many_cpus = Sh("true");
  too_many_cpus.cpus = 3;
  Result<TaskId> id = executor->Submit(too_many_cpus, waiter_.Callback());
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(id.status().message(), "task needs 3 cpus but the executor has 2 in all");
  ProcessSpec too_much_memory = Sh("true");
  too_much_memory.memory_mb = 1001;
  id = executor->Submit(too_much_memory, waiter_.Callback());
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().message(), "task needs 1001 MB of memory but the executor has 1000 MB");
  ProcessSpec no_cpus = Sh("true");
  no_cpus.cpus = 0;
  EXPECT_EQ(executor->Submit(no_cpus, waiter_.Callback()).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(executor->Submit(ProcessSpec{}, waiter_.Callback()).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(LocalExecutorTest, SubmitFromDoneCallback) {
  auto executor = NewLocalExecutor();
  std::mutex mu;
  std::condition_variable cv;
  int finished = 0;
  std::function<void(TaskId, const ProcessResult&)> next;
  next = [&](TaskId, const ProcessResult& result) {
    EXPECT_EQ(result.outcome, Outcome::kSucceeded);
    std::lock_guard lock(mu);
    if (++finished < 3) {
      EXPECT_TRUE(executor->Submit(Sh("true"), next).ok());
    }
    cv.notify_all();
  };
  ASSERT_TRUE(executor->Submit(Sh("true"), next).ok());
  std::unique_lock lock(mu);
  EXPECT_TRUE(cv.wait_for(lock, kPatience, [&] { return finished == 3; }));
}

TEST_F(LocalExecutorTest, CancelFromDoneCallback) {
  LocalExecutorOptions options;
  options.cpus = 1;
  auto executor = NewLocalExecutor(options);
  std::atomic<TaskId> second = 0;
  auto record = waiter_.Callback();
  fs::path go = dir_ / "go";
  // The first task runs until `go` exists, so the second is surely queued behind it.
  Result<TaskId> first =
      executor->Submit(Sh("while [ ! -e " + go.string() + " ]; do sleep 0.01; done"),
                       [&, record](TaskId id, const ProcessResult& result) {
                         executor->Cancel(second);
                         record(id, result);
                       });
  ASSERT_TRUE(first.ok());
  second = SubmitOk(*executor, Sh("sleep 100"));
  std::ofstream(go) << "go\n";
  EXPECT_EQ(waiter_.Wait(*first).outcome, Outcome::kSucceeded);
  ProcessResult result = waiter_.Wait(second);
  EXPECT_EQ(result.outcome, Outcome::kCancelled);
  EXPECT_EQ(result.started_ms, 0);
}

TEST_F(LocalExecutorTest, DestructorCancelsAndReturnsPromptly) {
  LocalExecutorOptions options;
  options.cpus = 2;
  auto executor = NewLocalExecutor(options);
  std::vector<TaskId> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(SubmitOk(*executor, Sh("sleep 100")));
  auto start = steady_clock::now();
  executor.reset();
  EXPECT_LT(steady_clock::now() - start, kPatience);
  for (TaskId id : ids) {
    EXPECT_EQ(waiter_.Wait(id).outcome, Outcome::kCancelled);
    EXPECT_EQ(waiter_.Calls(id), 1);
  }
}

// CPU time (user + system) this process used so far, children excluded.
double OwnCpuMs() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto ms = [](const timeval& tv) { return tv.tv_sec * 1e3 + tv.tv_usec / 1e3; };
  return ms(usage.ru_utime) + ms(usage.ru_stime);
}

TEST_F(LocalExecutorTest, ManyQuickProcesses) {
  auto executor = NewLocalExecutor();
  constexpr int kCount = 200;
  ProcessSpec spec;
  spec.argv = {"true"};
  spec.log_path = dir_ / "log";
  auto start = steady_clock::now();
  std::vector<TaskId> ids;
  for (int i = 0; i < kCount; ++i) ids.push_back(SubmitOk(*executor, spec));
  ASSERT_TRUE(waiter_.WaitCount(kCount));
  double parallel_ms =
      std::chrono::duration<double, std::milli>(steady_clock::now() - start).count();
  for (TaskId id : ids) EXPECT_EQ(waiter_.Wait(id).outcome, Outcome::kSucceeded);

  // One after another, each submitted from the previous one's done callback.
  std::mutex mu;
  std::condition_variable cv;
  int finished = 0;
  std::function<void(TaskId, const ProcessResult&)> next;
  next = [&](TaskId, const ProcessResult& result) {
    EXPECT_EQ(result.outcome, Outcome::kSucceeded);
    std::lock_guard lock(mu);
    if (++finished < kCount) {
      EXPECT_TRUE(executor->Submit(spec, next).ok());
    }
    cv.notify_all();
  };
  start = steady_clock::now();
  double cpu_before_ms = OwnCpuMs();
  ASSERT_TRUE(executor->Submit(spec, next).ok());
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, kPatience, [&] { return finished == kCount; }));
  }
  double chained_ms =
      std::chrono::duration<double, std::milli>(steady_clock::now() - start).count();
  double cpu_ms = OwnCpuMs() - cpu_before_ms;
  std::printf(
      "[ perf     ] %d x `true`: %.3f ms per process submitted at once, %.3f ms per "
      "process one after another (this process's CPU: %.3f ms per process)\n",
      kCount, parallel_ms / kCount, chained_ms / kCount, cpu_ms / kCount);
}

TEST_F(LocalExecutorTest, NoDescriptorsLeakIntoChildren) {
  int plain = open("/dev/null", O_RDONLY);  // deliberately without O_CLOEXEC
  ASSERT_GE(plain, 0);
  int sock = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(sock, 0);
  auto executor = NewLocalExecutor();
  ProcessSpec spec;
  spec.argv = {"ls", "/proc/self/fd"};
  spec.log_path = dir_ / "log";
  ProcessResult result = Run(*executor, spec);
  close(plain);
  close(sock);
  ASSERT_EQ(result.outcome, Outcome::kSucceeded) << result.message;
  // 0, 1 and 2, plus the descriptor ls opened to read the directory.
  EXPECT_EQ(ReadFile(dir_ / "log"), "0\n1\n2\n3\n");
}

}  // namespace
}  // namespace kiln::exec
