#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include "serving/request_log.h"
#include "serving/request_log_test_util.h"

namespace kiln::serving {
namespace {

using testing::ClassifierRequest;
using testing::RegressorRequest;

class FeedbackTest : public testing::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    auto log = RequestLog::Open(dir_);
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    log_ = std::move(log).value();
  }
  LoggedRequest Logged(LoggedRequest r) {
    EXPECT_TRUE(log_->Append(r).ok());
    return r;
  }
  std::unique_ptr<RequestLog> log_;
};

TEST_F(FeedbackTest, UnknownIdOrOtherDeploymentIsNotFound) {
  LoggedRequest r = Logged(ClassifierRequest("a", 1, "setosa"));
  Status s = log_->AddFeedback("a", "nope", "\"setosa\"");
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_NE(s.message().find("'nope'"), std::string::npos);
  EXPECT_EQ(log_->AddFeedback("b", r.request_id, "\"setosa\"").code(), StatusCode::kNotFound);
}

TEST_F(FeedbackTest, SecondFeedbackIsAlreadyExists) {
  LoggedRequest r = Logged(ClassifierRequest("a", 1, "setosa"));
  ASSERT_TRUE(log_->AddFeedback("a", r.request_id, "\"setosa\"").ok());
  Status s = log_->AddFeedback("a", r.request_id, "\"virginica\"");
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
  EXPECT_NE(s.message().find(r.request_id), std::string::npos);
  EXPECT_EQ(log_->Quality("a")[0].rows, 1);
}

TEST_F(FeedbackTest, WrongCountOrKindOrJsonIsInvalidArgument) {
  LoggedRequest reg = Logged(RegressorRequest("r", 1, {1.0, 2.0}));
  Status s = log_->AddFeedback("r", reg.request_id, "[1.0]");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("2 rows"), std::string::npos);
  s = log_->AddFeedback("r", reg.request_id, R"([1.0, "two"])");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("labels[1]"), std::string::npos);
  EXPECT_EQ(log_->AddFeedback("r", reg.request_id, "[1.0,").code(), StatusCode::kInvalidArgument);
  LoggedRequest cls = Logged(ClassifierRequest("a", 1, "setosa"));
  EXPECT_EQ(log_->AddFeedback("a", cls.request_id, R"({"x":1})").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(log_->AddFeedback("a", cls.request_id, "null").code(), StatusCode::kInvalidArgument);
  // Rejected feedback leaves the request open for a correct one.
  EXPECT_TRUE(log_->AddFeedback("r", reg.request_id, "[1.5, 2.5]").ok());
  EXPECT_TRUE(log_->Quality("a").empty());
}

TEST_F(FeedbackTest, ALabelOutsideTheClassesIsInvalidArgument) {
  LoggedRequest r = Logged(ClassifierRequest("a", 1, "1"));
  Status s = log_->AddFeedback("a", r.request_id, "\"yes\"");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "request '" + r.request_id +
                             "' labels[0]: 'yes' is not a class of the model (classes: 0, 1, "
                             "setosa, versicolor, virginica)");
  EXPECT_TRUE(log_->Quality("a").empty());  // not counted as a wrong answer
  EXPECT_TRUE(log_->AddFeedback("a", r.request_id, "0").ok());
  EXPECT_EQ(log_->Quality("a")[0].correct, 0);
}

TEST_F(FeedbackTest, ClassifierQualityPerVersion) {
  std::vector<LoggedRequest> v1, v2;
  for (int i = 0; i < 4; ++i) v1.push_back(Logged(ClassifierRequest("a", i, "setosa", 1)));
  for (int i = 0; i < 2; ++i) v2.push_back(Logged(ClassifierRequest("a", i, "1", 2)));
  ASSERT_TRUE(log_->AddFeedback("a", v1[0].request_id, "\"setosa\"").ok());
  ASSERT_TRUE(log_->AddFeedback("a", v1[1].request_id, "[\"setosa\"]").ok());
  ASSERT_TRUE(log_->AddFeedback("a", v1[2].request_id, "\"virginica\"").ok());
  ASSERT_TRUE(log_->AddFeedback("a", v2[0].request_id, "1").ok());  // number vs "1" as text
  ASSERT_TRUE(log_->AddFeedback("a", v2[1].request_id, "0").ok());
  auto q = log_->Quality("a");
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0].version, 1);
  EXPECT_FALSE(q[0].regressor);
  EXPECT_EQ(q[0].requests, 3);
  EXPECT_EQ(q[0].rows, 3);
  EXPECT_EQ(q[0].correct, 2);
  EXPECT_DOUBLE_EQ(q[0].accuracy, 2.0 / 3.0);
  EXPECT_EQ(q[1].version, 2);
  EXPECT_EQ(q[1].correct, 1);
  EXPECT_DOUBLE_EQ(q[1].accuracy, 0.5);
}

TEST_F(FeedbackTest, RegressorQualityIsRmseAndMae) {
  LoggedRequest a = Logged(RegressorRequest("r", 1, {1.0, 2.0}));
  LoggedRequest b = Logged(RegressorRequest("r", 2, {10.0}));
  ASSERT_TRUE(log_->AddFeedback("r", a.request_id, "[2.0, 2.0]").ok());  // errors 1, 0
  ASSERT_TRUE(log_->AddFeedback("r", b.request_id, "12").ok());          // error 2
  auto q = log_->Quality("r");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_TRUE(q[0].regressor);
  EXPECT_EQ(q[0].requests, 2);
  EXPECT_EQ(q[0].rows, 3);
  EXPECT_DOUBLE_EQ(q[0].rmse, std::sqrt(5.0 / 3.0));
  EXPECT_DOUBLE_EQ(q[0].mae, 1.0);
}

TEST_F(FeedbackTest, RequestsBeyondTheIndexBoundAreNotFound) {
  RequestLogOptions options;
  options.max_indexed_requests = 3;
  log_.reset();
  auto log = RequestLog::Open(dir_ + "/small", options);
  ASSERT_TRUE(log.ok());
  std::vector<LoggedRequest> rs;
  for (int i = 0; i < 5; ++i) {
    rs.push_back(ClassifierRequest("a", i, "x"));
    ASSERT_TRUE((*log)->Append(rs.back()).ok());
  }
  EXPECT_EQ((*log)->Stats().indexed_requests, 3u);
  Status s = (*log)->AddFeedback("a", rs[0].request_id, "\"x\"");
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_NE(s.message().find("3 most recent"), std::string::npos);
  EXPECT_TRUE((*log)->AddFeedback("a", rs[4].request_id, "\"x\"").ok());
}

// Concurrent appends spread over writer lanes (a segment and an index each): feedback finds a
// request whichever lane logged it, once, also after a reopen.
TEST_F(FeedbackTest, FeedbackFindsRequestsOfEveryWriterLane) {
  constexpr int kThreads = 4, kEach = 300;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        LoggedRequest r = ClassifierRequest("lanes", i, "x");
        if (log_->Append(r).ok()) ids[t].push_back(r.request_id);
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(ids[t].size(), static_cast<size_t>(kEach));
    EXPECT_TRUE(log_->AddFeedback("lanes", ids[t][t * 7], "\"x\"").ok()) << t;
    EXPECT_EQ(log_->AddFeedback("lanes", ids[t][t * 7], "\"x\"").code(),
              StatusCode::kAlreadyExists);
  }
  EXPECT_EQ(log_->Stats().indexed_requests, static_cast<size_t>(kThreads * kEach));
  log_.reset();
  auto reopened = RequestLog::Open(dir_);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->Quality("lanes")[0].rows, kThreads);
  EXPECT_EQ((*reopened)->AddFeedback("lanes", ids[0][0], "\"x\"").code(),
            StatusCode::kAlreadyExists);
  EXPECT_TRUE((*reopened)->AddFeedback("lanes", ids[1][0], "\"x\"").ok());
  EXPECT_EQ((*reopened)->Query("lanes", 0, 10000)->size(), static_cast<size_t>(kThreads * kEach));
}

}  // namespace
}  // namespace kiln::serving
