#include "serving/request_index.h"

#include <gtest/gtest.h>

#include <string>

namespace kiln::serving {
namespace {

RecordLocation At(uint32_t i) { return RecordLocation{i / 1000 + 1, i % 1000 * 100, 99}; }
std::string Id(uint32_t i) { return "request-" + std::to_string(i); }

// Whether `id` is indexed at `location`.
bool Has(const RequestIndex& index, const std::string& id, RecordLocation location) {
  for (const IndexHit& hit : index.Find(id)) {
    if (hit.location.segment == location.segment && hit.location.offset == location.offset) {
      return true;
    }
  }
  return false;
}

TEST(RequestIndexTest, FindsWhatWasAdded) {
  RequestIndex index(10000);
  for (uint32_t i = 0; i < 5000; ++i) index.Add(Id(i), At(i));
  EXPECT_EQ(index.size(), 5000u);
  for (uint32_t i = 0; i < 5000; ++i) ASSERT_TRUE(Has(index, Id(i), At(i))) << i;
  EXPECT_TRUE(index.Find("never-added").empty());
}

TEST(RequestIndexTest, ForgetsTheOldestBeyondCapacity) {
  RequestIndex index(3000);
  for (uint32_t i = 0; i < 7500; ++i) index.Add(Id(i), At(i));
  EXPECT_EQ(index.size(), 3000u);
  for (uint32_t i = 0; i < 4500; ++i) ASSERT_FALSE(Has(index, Id(i), At(i))) << i;
  for (uint32_t i = 4500; i < 7500; ++i) ASSERT_TRUE(Has(index, Id(i), At(i))) << i;
}

TEST(RequestIndexTest, FeedbackMarksOnlyItsRecordAndIsForgottenWithIt) {
  RequestIndex index(2);
  index.Add("a", At(1));
  index.Add("a", At(2));  // the same id twice: two records, told apart by location
  EXPECT_TRUE(index.MarkFeedback("a", At(2)));
  EXPECT_FALSE(index.MarkFeedback("a", At(3)));
  EXPECT_FALSE(index.MarkFeedback("b", At(1)));
  auto hits = index.Find("a");
  ASSERT_EQ(hits.size(), 2u);
  for (const IndexHit& hit : hits) EXPECT_EQ(hit.has_feedback, hit.location.offset == At(2).offset);
  index.Add("b", At(3));  // forgets a@1
  hits = index.Find("a");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_TRUE(hits[0].has_feedback);
  index.Add("c", At(4));  // forgets a@2, whose slot is reused without its mark
  EXPECT_TRUE(index.Find("a").empty());
  ASSERT_EQ(index.Find("c").size(), 1u);
  EXPECT_FALSE(index.Find("c")[0].has_feedback);
}

TEST(RequestIndexTest, ZeroCapacityIndexesNothing) {
  RequestIndex index(0);
  index.Add("a", At(1));
  EXPECT_EQ(index.size(), 0u);
  EXPECT_TRUE(index.Find("a").empty());
}

}  // namespace
}  // namespace kiln::serving
