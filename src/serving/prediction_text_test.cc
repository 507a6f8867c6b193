#include "serving/prediction_text.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace kiln::serving {
namespace {

using nlohmann::json;

TEST(PredictionTextTest, JsonStringsAreEscaped) {
  std::string out;
  AppendJsonLiteral(out, "a\"b\\c\nd\x01 é");
  EXPECT_EQ(json::parse(out).get<std::string>(), "a\"b\\c\nd\x01 é");
}

TEST(PredictionTextTest, PredictionObjectsTextIsTheJsonOfEachRow) {
  ml::ModelPackage classifier;
  classifier.task = "multiclass";
  classifier.classes = {"set\"osa", "versicolor", "virginica"};
  ml::Predictions p;
  p.width = 3;
  p.scores = {0.9f, 0.05f, 0.05f, 0.1f, 0.2f, 0.7f};
  p.predicted = {0, 2};
  const json rows = json::parse(PredictionObjectsText(classifier, p));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["predicted"], "set\"osa");
  EXPECT_EQ(rows[1]["predicted"], "virginica");
  EXPECT_DOUBLE_EQ(rows[1]["probabilities"]["virginica"].get<double>(), double{0.7f});
  EXPECT_DOUBLE_EQ(rows[0]["probabilities"]["set\"osa"].get<double>(), double{0.9f});

  ml::ModelPackage regressor;
  regressor.task = "regression";
  ml::Predictions values;
  values.scores = {1.5f, -2.25f};
  EXPECT_EQ(json::parse(PredictionObjectsText(regressor, values)),
            json::parse(R"([{"predicted":1.5},{"predicted":-2.25}])"));
  EXPECT_EQ(PredictionObjectsText(regressor, ml::Predictions{}), "[]");
}

}  // namespace
}  // namespace kiln::serving
