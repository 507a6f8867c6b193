// A real crash: a child process appends in a loop, reporting every acknowledged request id
// through a pipe, until it is killed with SIGKILL. Every reported id must be in the log.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <set>
#include <string>

#include "serving/request_log.h"
#include "serving/request_log_test_util.h"

namespace kiln::serving {
namespace {

using testing::ClassifierRequest;

// The child: appends forever (small segments, so it also rolls), reporting each ack.
[[noreturn]] void AppendUntilKilled(const std::string& dir, int report_fd) {
  RequestLogOptions options;
  options.segment_bytes = 32 << 10;
  auto log = RequestLog::Open(dir, options);
  if (!log.ok()) ::_exit(3);
  for (int64_t i = 0;; ++i) {
    LoggedRequest r = ClassifierRequest(i % 2 ? "crash-a" : "crash-b", i, "setosa");
    if (!(*log)->Append(r).ok()) ::_exit(4);
    std::string line = r.request_id + "\n";
    if (::write(report_fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
      ::_exit(5);
    }
  }
}

// Reads the child's reports until `want` ids arrived; returns the complete lines read.
std::set<std::string> ReadReports(int fd, size_t want, std::string& buffer) {
  std::set<std::string> ids;
  char chunk[4096];
  while (ids.size() < want) {
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n <= 0) break;
    buffer.append(chunk, static_cast<size_t>(n));
    for (size_t nl; (nl = buffer.find('\n')) != std::string::npos; buffer.erase(0, nl + 1)) {
      ids.insert(buffer.substr(0, nl));
    }
  }
  return ids;
}

class RequestLogCrashTest : public testing::TempDirTest {};

TEST_F(RequestLogCrashTest, EveryAcknowledgedAppendSurvivesSigkill) {
  for (int round = 0; round < 3; ++round) {  // each round also replays the previous ones
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      AppendUntilKilled(dir_, fds[1]);
    }
    ::close(fds[1]);
    std::string buffer;
    std::set<std::string> acked = ReadReports(fds[0], 3000 + 1000 * round, buffer);
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFSIGNALED(status)) << "child exited early with " << WEXITSTATUS(status);
    std::set<std::string> rest = ReadReports(fds[0], SIZE_MAX, buffer);  // reports in the pipe
    acked.insert(rest.begin(), rest.end());
    ::close(fds[0]);

    auto log = RequestLog::Open(dir_);
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    EXPECT_EQ((*log)->Stats().skipped_lines, 0u);
    std::map<std::string, std::string> logged;  // id -> deployment
    for (const char* dep : {"crash-a", "crash-b"}) {
      auto got = (*log)->Query(dep, 0, 1000000);
      ASSERT_TRUE(got.ok());
      for (const auto& r : *got) logged[r.request_id] = r.deployment;
    }
    size_t missing = 0;
    for (const auto& id : acked) missing += logged.count(id) ? 0 : 1;
    EXPECT_EQ(missing, 0u) << "of " << acked.size() << " acknowledged in round " << round;
    EXPECT_GE(acked.size(), static_cast<size_t>(3000 + 1000 * round));
    // The reopened log takes feedback for a request acknowledged in this round.
    const std::string& id = *acked.rbegin();
    EXPECT_TRUE((*log)->AddFeedback(logged[id], id, "\"setosa\"").ok());
  }
}

}  // namespace
}  // namespace kiln::serving
