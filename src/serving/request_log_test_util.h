// Helpers shared by the request log tests.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "serving/request_log.h"

namespace kiln::serving::testing {

// A fresh temporary directory, removed at the end of the test.
class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "kiln_reqlog_XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

// A one-row classifier request predicting `label`, with probabilities for it and the classes
// setosa, versicolor, virginica, 0 and 1 (the model's classes, which feedback must name).
inline LoggedRequest ClassifierRequest(const std::string& deployment, int64_t time_ms,
                                       const std::string& label, int64_t version = 1) {
  LoggedRequest r;
  r.request_id = NewRequestId();
  r.time_ms = time_ms;
  r.deployment = deployment;
  r.model = "iris";
  r.version = version;
  r.inputs_json = R"([{"sepal_length":5.1,"sepal_width":3.5,"petal_length":1.4}])";
  std::string probabilities = "\"" + label + "\":0.9";
  for (const char* other : {"setosa", "versicolor", "virginica", "0", "1"}) {
    if (label != other) probabilities += std::string(",\"") + other + "\":0.02";
  }
  r.outputs_json = R"([{"predicted":")" + label + R"(","probabilities":{)" + probabilities + "}}]";
  r.latency_ms = 0.25;
  return r;
}

// A regressor request with one row per value of `predictions` (a JSON array of numbers).
inline LoggedRequest RegressorRequest(const std::string& deployment, int64_t time_ms,
                                      const std::vector<double>& predictions) {
  LoggedRequest r;
  r.request_id = NewRequestId();
  r.time_ms = time_ms;
  r.deployment = deployment;
  r.model = "houses";
  r.version = 2;
  r.inputs_json = "[";
  r.outputs_json = "[";
  for (size_t i = 0; i < predictions.size(); ++i) {
    r.inputs_json += std::string(i ? "," : "") + "{\"rooms\":" + std::to_string(i + 1) + "}";
    r.outputs_json +=
        std::string(i ? "," : "") + "{\"predicted\":" + std::to_string(predictions[i]) + "}";
  }
  r.inputs_json += "]";
  r.outputs_json += "]";
  return r;
}

}  // namespace kiln::serving::testing
