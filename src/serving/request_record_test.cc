#include "serving/request_record.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "serving/feedback_score.h"
#include "serving/request_id.h"

namespace kiln::serving {
namespace {

TEST(RequestIdTest, UniqueSortableAndUrlSafe) {
  std::set<std::string> ids;
  std::string previous;
  for (int i = 0; i < 10000; ++i) {
    std::string id = NewRequestId();
    EXPECT_EQ(id.size(), 26u);
    EXPECT_TRUE(IsValidRequestId(id)) << id;
    EXPECT_LT(previous, id);  // one thread: strictly increasing
    previous = id;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 10000u);
  EXPECT_FALSE(IsValidRequestId(""));
  EXPECT_FALSE(IsValidRequestId("a/b"));
  EXPECT_FALSE(IsValidRequestId(std::string(129, 'a')));
}

TEST(RequestRecordTest, HeaderAndLineHelpersReadWhatEncodeWrote) {
  LoggedRequest r;
  r.request_id = "abc";
  r.time_ms = 1700000000123;
  r.deployment = "d\"x";
  r.model = "m";
  r.version = 7;
  r.inputs_json = R"([{"deployment":"d\"x","time_ms":1}])";
  r.outputs_json = R"([{"predicted":1.5}])";
  std::string line;
  ASSERT_TRUE(EncodeRequestLine(r, line).ok());
  ASSERT_EQ(line.back(), '\n');
  line.pop_back();
  auto h = ParseRequestHeader(line);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->deployment, "d\"x");
  EXPECT_EQ(h->version, 7);
  int64_t t = 0;
  ASSERT_TRUE(LineTimeMs(line, t));
  EXPECT_EQ(t, 1700000000123);
  std::string quoted;
  ASSERT_TRUE(AppendJsonString("deployment", "d\"x", quoted).ok());
  EXPECT_TRUE(LineHasDeployment(line, quoted));
  quoted.clear();
  ASSERT_TRUE(AppendJsonString("deployment", "d", quoted).ok());
  EXPECT_FALSE(LineHasDeployment(line, quoted));
}

TEST(FeedbackScoreTest, ClassifierComparesAsText) {
  auto s = ScoreFeedback("r", R"([{"predicted":"true"},{"predicted":"2"}])", "[true, 2.0]");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_FALSE(s->regressor);
  EXPECT_EQ(s->correct, 2);
  EXPECT_EQ(s->labels_json, "[true,2.0]");
}

TEST(FeedbackScoreTest, MissingPredictionIsFailedPrecondition) {
  EXPECT_EQ(ScoreFeedback("r", R"([{"x":1}])", "1").status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(ScoreFeedback("r", "[]", "[]").status().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace kiln::serving
