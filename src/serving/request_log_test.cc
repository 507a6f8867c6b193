#include "serving/request_log.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "serving/request_log_test_util.h"

namespace kiln::serving {
namespace {

using testing::ClassifierRequest;
using testing::RegressorRequest;

class RequestLogTest : public testing::TempDirTest {
 protected:
  std::unique_ptr<RequestLog> OpenLog(RequestLogOptions options = {}) {
    auto log = RequestLog::Open(dir_, options);
    EXPECT_TRUE(log.ok()) << log.status().ToString();
    return log.ok() ? std::move(log).value() : nullptr;
  }
};

TEST_F(RequestLogTest, AppendThenQueryReturnsTheRecordAsGiven) {
  auto log = OpenLog();
  LoggedRequest r = ClassifierRequest("iris-prod", 1000, "setosa");
  ASSERT_TRUE(log->Append(r).ok());
  auto got = log->Query("iris-prod", 0, 10);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 1u);
  const LoggedRequest& g = (*got)[0];
  EXPECT_EQ(g.request_id, r.request_id);
  EXPECT_EQ(g.time_ms, 1000);
  EXPECT_EQ(g.deployment, "iris-prod");
  EXPECT_EQ(g.model, "iris");
  EXPECT_EQ(g.version, 1);
  EXPECT_EQ(g.inputs_json, r.inputs_json);
  EXPECT_EQ(g.outputs_json, r.outputs_json);
  EXPECT_DOUBLE_EQ(g.latency_ms, 0.25);
}

TEST_F(RequestLogTest, QueryFiltersByDeploymentAndSinceAndKeepsTheNewestLimit) {
  auto log = OpenLog();
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(log->Append(ClassifierRequest("a", 100 + i, "setosa")).ok());
    ASSERT_TRUE(log->Append(ClassifierRequest("b", 100 + i, "virginica")).ok());
  }
  auto since = log->Query("a", 105, 100);
  ASSERT_TRUE(since.ok());
  ASSERT_EQ(since->size(), 5u);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ((*since)[i].time_ms, static_cast<int64_t>(105 + i));
    EXPECT_EQ((*since)[i].deployment, "a");
  }
  auto tail = log->Query("b", 0, 3);
  ASSERT_TRUE(tail.ok());
  ASSERT_EQ(tail->size(), 3u);
  EXPECT_EQ((*tail)[0].time_ms, 107);
  EXPECT_EQ((*tail)[2].time_ms, 109);
  EXPECT_TRUE(log->Query("b", 0, 0)->empty());
  EXPECT_TRUE(log->Query("nope", 0, 10)->empty());
  EXPECT_TRUE(log->Query("a", 1000, 10)->empty());
}

TEST_F(RequestLogTest, SegmentsRollAndQuerySpansThem) {
  RequestLogOptions options;
  options.segment_bytes = 1000;  // a few records each
  auto log = OpenLog(options);
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(log->Append(ClassifierRequest("a", i, "x")).ok());
  EXPECT_GT(log->Stats().segments, 10u);
  auto all = log->Query("a", 0, 1000);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ((*all)[i].time_ms, i);
  auto tail = log->Query("a", 0, 7);
  ASSERT_EQ(tail->size(), 7u);
  EXPECT_EQ(tail->front().time_ms, 43);
}

TEST_F(RequestLogTest, SecondOpenOfTheSameDirectoryIsRefused) {
  auto log = OpenLog();
  auto again = RequestLog::Open(dir_);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
  log.reset();
  EXPECT_TRUE(RequestLog::Open(dir_).ok());
}

TEST_F(RequestLogTest, AppendRejectsBadFieldsByName) {
  auto log = OpenLog();
  LoggedRequest r = ClassifierRequest("a", 1, "x");
  r.request_id = "has space";
  Status s = log->Append(r);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("request_id"), std::string::npos);
  r = ClassifierRequest("", 1, "x");
  EXPECT_EQ(log->Append(r).code(), StatusCode::kInvalidArgument);
  r = ClassifierRequest("a", 1, "x");
  r.model = "bad\xff";
  s = log->Append(r);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("model"), std::string::npos);
  EXPECT_EQ(log->Stats().indexed_requests, 0u);
}

TEST_F(RequestLogTest, NamesWithQuotesAndPrettyJsonRoundTrip) {
  auto log = OpenLog();
  LoggedRequest r = ClassifierRequest("we\"ird\\name", 5, "setosa");
  r.model = "mod\nel é";
  r.inputs_json = "[\n  {\"a\": 1}\n]";
  ASSERT_TRUE(log->Append(r).ok());
  auto got = log->Query("we\"ird\\name", 0, 10);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].model, "mod\nel é");
  EXPECT_EQ((*got)[0].inputs_json, R"([{"a":1}])");
  EXPECT_TRUE(log->Query("we\"ird", 0, 10)->empty());
}

TEST_F(RequestLogTest, ConcurrentAppendsAreNeitherTornNorLost) {
  RequestLogOptions options;
  options.segment_bytes = 64 << 10;
  auto log = OpenLog(options);
  constexpr int kThreads = 8, kEach = 2000;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        LoggedRequest r = ClassifierRequest("c", i, "label" + std::to_string(t));
        if (log->Append(r).ok()) ids[t].push_back(r.request_id);
      }
    });
  }
  for (auto& th : threads) th.join();
  log.reset();
  log = OpenLog(options);
  EXPECT_EQ(log->Stats().skipped_lines, 0u);
  EXPECT_EQ(log->Stats().torn_bytes, 0u);
  auto all = log->Query("c", 0, kThreads * kEach + 1);
  ASSERT_TRUE(all.ok());
  std::set<std::string> logged;
  for (const auto& r : *all) logged.insert(r.request_id);
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(ids[t].size(), static_cast<size_t>(kEach));
    for (const auto& id : ids[t]) EXPECT_TRUE(logged.count(id)) << id;
  }
  EXPECT_EQ(logged.size(), static_cast<size_t>(kThreads * kEach));
}

TEST_F(RequestLogTest, ReopenKeepsRequestsFeedbackAndQuality) {
  LoggedRequest r = ClassifierRequest("a", 10, "setosa");
  LoggedRequest other = ClassifierRequest("a", 11, "setosa");
  {
    auto log = OpenLog();
    ASSERT_TRUE(log->Append(r).ok());
    ASSERT_TRUE(log->Append(other).ok());
    ASSERT_TRUE(log->AddFeedback("a", r.request_id, "\"setosa\"").ok());
  }
  auto log = OpenLog();
  EXPECT_EQ(log->Query("a", 0, 10)->size(), 2u);
  auto q = log->Quality("a");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].rows, 1);
  EXPECT_EQ(q[0].correct, 1);
  EXPECT_EQ(log->AddFeedback("a", r.request_id, "\"setosa\"").code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(log->AddFeedback("a", other.request_id, "\"versicolor\"").ok());
  EXPECT_DOUBLE_EQ(log->Quality("a")[0].accuracy, 0.5);
  ASSERT_TRUE(log->Append(ClassifierRequest("a", 12, "x")).ok());
  EXPECT_EQ(log->Query("a", 0, 10)->size(), 3u);
}

TEST_F(RequestLogTest, TornTrailingLineIsCutAndLaterAppendsAreClean) {
  LoggedRequest r = ClassifierRequest("a", 10, "setosa");
  {
    auto log = OpenLog();
    ASSERT_TRUE(log->Append(r).ok());
  }
  {
    std::ofstream out(dir_ + "/requests-00000001.jsonl", std::ios::app);
    out << R"({"request_id":"torn","time_ms":11,"deploym)";
  }
  {
    std::ofstream out(dir_ + "/feedback.jsonl", std::ios::app);
    out << R"({"request_id":"x)";
  }
  auto log = OpenLog();
  EXPECT_GT(log->Stats().torn_bytes, 0u);
  LoggedRequest after = ClassifierRequest("a", 12, "setosa");
  ASSERT_TRUE(log->Append(after).ok());
  ASSERT_TRUE(log->AddFeedback("a", after.request_id, "\"setosa\"").ok());
  log.reset();
  log = OpenLog();
  EXPECT_EQ(log->Stats().skipped_lines, 0u);
  auto all = log->Query("a", 0, 10);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].request_id, r.request_id);
  EXPECT_EQ((*all)[1].request_id, after.request_id);
  EXPECT_EQ(log->Quality("a")[0].rows, 1);
}

// What a kill leaves in a mapped segment: blank lines (prepared room) and zeros after the
// records, and a record whose copy the kill interrupted, possibly in pieces.
TEST_F(RequestLogTest, RoomAndARecordTornDuringItsCopyAreCutOnOpen) {
  LoggedRequest r = ClassifierRequest("a", 10, "setosa");
  const std::string path = dir_ + "/requests-00000001.jsonl";
  const auto read = [&] {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  {
    auto log = OpenLog();
    ASSERT_TRUE(log->Append(r).ok());
    // While open: the record, then prepared room that reads as blank lines.
    const std::string live = read();
    const size_t first_newline = live.find('\n');
    ASSERT_NE(first_newline, std::string::npos);
    EXPECT_GT(live.size(), first_newline + 1);
    EXPECT_EQ(live.find_first_not_of('\n', first_newline), std::string::npos);
  }
  const std::string clean = read();  // cut back to its record
  ASSERT_EQ(std::count(clean.begin(), clean.end(), '\n'), 1);
  const std::string head =
      R"({"request_id":"01m82cyx90n1wbh9hw00000099","time_ms":11,"deployment")";
  const std::string torn = head + std::string(40, '\0') + "}]}\n" + head + "\n\n\n" + "0.5}]}" +
                           std::string(3000, '\n') + std::string(5000, '\0');
  {
    std::ofstream out(path, std::ios::app | std::ios::binary);
    out << torn;
  }
  auto log = OpenLog();
  EXPECT_EQ(log->Stats().torn_bytes, torn.size());
  EXPECT_EQ(log->Stats().bytes, clean.size());
  EXPECT_EQ(log->Stats().skipped_lines, 0u);
  LoggedRequest after = ClassifierRequest("a", 12, "setosa");
  ASSERT_TRUE(log->Append(after).ok());
  log.reset();
  const std::string contents = read();
  EXPECT_EQ(contents.find('\0'), std::string::npos);
  EXPECT_EQ(std::count(contents.begin(), contents.end(), '\n'), 2);
  log = OpenLog();
  EXPECT_EQ(log->Stats().torn_bytes, 0u);
  auto all = log->Query("a", 0, 10);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].request_id, r.request_id);
  EXPECT_EQ((*all)[1].request_id, after.request_id);
}

// A record larger than a segment gets a segment of its own; the ones around it stay readable.
TEST_F(RequestLogTest, ARecordLargerThanASegmentGetsOneOfItsOwn) {
  RequestLogOptions options;
  options.segment_bytes = 1024;
  auto log = OpenLog(options);
  LoggedRequest big = ClassifierRequest("a", 2, "setosa");
  big.inputs_json = "[{\"note\":\"" + std::string(5000, 'x') + "\"}]";
  for (const LoggedRequest& r :
       {ClassifierRequest("a", 1, "x"), big, ClassifierRequest("a", 3, "y")}) {
    ASSERT_TRUE(log->Append(r).ok());
  }
  EXPECT_EQ(log->Stats().segments, 3u);
  log.reset();
  log = OpenLog(options);
  auto all = log->Query("a", 0, 10);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[1].inputs_json.size(), big.inputs_json.size());
}
}  // namespace
}  // namespace kiln::serving
