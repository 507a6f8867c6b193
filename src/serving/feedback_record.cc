#include "serving/feedback_record.h"

#include <nlohmann/json.hpp>

namespace kiln::serving {

using nlohmann::json;

std::string EncodeFeedbackLine(const FeedbackRecord& r) {
  json labels = json::parse(r.score.labels_json, nullptr, /*allow_exceptions=*/false);
  json j = {{"request_id", r.request_id},
            {"time_ms", r.time_ms},
            {"deployment", r.deployment},
            {"model", r.model},
            {"version", r.version},
            {"segment", r.location.segment},
            {"offset", r.location.offset},
            {"length", r.location.length},
            {"regressor", r.score.regressor},
            {"rows", r.score.rows},
            {"correct", r.score.correct},
            {"squared_error", r.score.squared_error},
            {"absolute_error", r.score.absolute_error},
            {"labels", labels.is_discarded() ? json() : labels}};
  // Names were validated as UTF-8 when the request was logged; replace anything else anyway.
  return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

Result<FeedbackRecord> ParseFeedbackLine(std::string_view line) {
  json j = json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return InvalidArgument("feedback line is not a JSON object");
  auto str = [&](const char* k) { return j.contains(k) && j[k].is_string(); };
  auto num = [&](const char* k) { return j.contains(k) && j[k].is_number(); };
  for (const char* k : {"request_id", "deployment", "model"}) {
    if (!str(k)) return InvalidArgument(std::string("feedback line lacks ") + k);
  }
  for (const char* k : {"time_ms", "version", "segment", "offset", "length", "rows", "correct",
                        "squared_error", "absolute_error"}) {
    if (!num(k)) return InvalidArgument(std::string("feedback line lacks ") + k);
  }
  FeedbackRecord r;
  r.request_id = j["request_id"].get<std::string>();
  r.deployment = j["deployment"].get<std::string>();
  r.model = j["model"].get<std::string>();
  r.time_ms = j["time_ms"].get<int64_t>();
  r.version = j["version"].get<int64_t>();
  r.location = {j["segment"].get<uint32_t>(), j["offset"].get<uint32_t>(),
                j["length"].get<uint32_t>()};
  r.score.regressor =
      j.contains("regressor") && j["regressor"].is_boolean() && j["regressor"].get<bool>();
  r.score.rows = j["rows"].get<int64_t>();
  r.score.correct = j["correct"].get<int64_t>();
  r.score.squared_error = j["squared_error"].get<double>();
  r.score.absolute_error = j["absolute_error"].get<double>();
  if (j.contains("labels")) r.score.labels_json = j["labels"].dump();
  return r;
}

}  // namespace kiln::serving
