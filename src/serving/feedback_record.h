// The JSON-lines form of one feedback in the request log's feedback.jsonl.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "serving/feedback_score.h"
#include "serving/request_index.h"

namespace kiln::serving {

// One feedback as recorded: which request (and where its line is), and its score.
struct FeedbackRecord {
  std::string request_id;
  int64_t time_ms = 0;  // when the feedback arrived
  std::string deployment;
  std::string model;
  int64_t version = 0;
  RecordLocation location;  // of the request's line, to find it in the index on replay
  FeedbackScore score;
};

// `record` as one JSON line ending in '\n'. Thread-safe (pure).
std::string EncodeFeedbackLine(const FeedbackRecord& record);

// Parses a line made by EncodeFeedbackLine (without '\n'). Errors: kInvalidArgument for a
// malformed line. Thread-safe (pure).
Result<FeedbackRecord> ParseFeedbackLine(std::string_view line);

}  // namespace kiln::serving
