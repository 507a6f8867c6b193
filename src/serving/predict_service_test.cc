#include "serving/predict_service.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "ml/linear_predictor.h"
#include "serving/prediction_text.h"

namespace kiln::serving {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Reads {"rows": [...]} and answers "<objects> <request id> <warnings...>".
class RowsProtocol final : public PredictProtocol {
 public:
  Result<PredictRows> Read(const std::string& body, const ml::ModelPackage& package,
                           bool strict) const override {
    PredictRows out{ml::Table(), json::parse(body, nullptr, false), ExtraFields{strict, {}}};
    if (!out.document.is_object() || !out.document.contains("rows")) {
      return InvalidArgument("'rows' is required");
    }
    KILN_ASSIGN_OR_RETURN(
        out.rows, TableFromRecords(out.document["rows"], package.signature, "rows", out.extra));
    return out;
  }
  std::string Answer(const ScoredRequest& s) const override {
    std::string out = s.objects + " " + s.request_id;
    for (const std::string& warning : s.warnings) out += " " + warning;
    return out;
  }
};

// The code metrics count an outcome under: 200 for an answer, 400 + the code otherwise.
int CodeOf(StatusCode code) { return code == StatusCode::kOk ? 200 : 400 + static_cast<int>(code); }

// A real linear package (y = 2x + 1) loaded as version 3 of "houses", served as "prices".
class PredictServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "kiln_predict_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
    const fs::path package_dir = root_ / "package";
    fs::create_directories(package_dir);
    ml::ModelPackage package;
    package.flavor = ml::kFlavorLinear;
    package.task = "regression";
    package.label = "y";
    package.features = {"x"};
    package.signature = {{"x", "float64"}};
    ml::LinearModel model;
    model.coef = {{2.0}};
    model.intercept = {1.0};
    ASSERT_TRUE(ml::SaveLinearModel(model, (package_dir / ml::kPackageModel).string()).ok());
    ASSERT_TRUE(ml::WritePackageManifest(package, package_dir.string()).ok());
    auto loaded = ModelLoader::LoadFolder("houses", 3, package_dir.string());
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    source_ = std::make_unique<FixedModel>("prices", *loaded);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  void OpenLog() { ASSERT_TRUE(monitoring_.OpenLog((root_ / "log").string()).ok()); }
  PredictService Service() const { return PredictService(*source_, monitoring_, CodeOf); }
  ServingSeries::Snapshot Counted() { return monitoring_.metrics.Series("prices", 3).Read(); }

  fs::path root_;
  std::unique_ptr<FixedModel> source_;
  mutable Monitoring monitoring_;
  RowsProtocol protocol_;
};

TEST_F(PredictServiceTest, AnswersLogsAndCountsARequest) {
  OpenLog();
  const std::string body = R"({"rows": [{"x": 2}, {"x": -1}]})";
  Result<Prediction> p = Service().Predict(protocol_, "prices", body, std::nullopt);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->answer, R"([{"predicted":5},{"predicted":-1}] )" + p->request_id);
  EXPECT_EQ(p->model->name, "houses");
  EXPECT_EQ(p->model->version, 3);
  Result<std::vector<LoggedRequest>> logged = monitoring_.log->Query("prices", 0, 10);
  ASSERT_TRUE(logged.ok()) << logged.status().ToString();
  ASSERT_EQ(logged->size(), 1u);
  EXPECT_EQ((*logged)[0].request_id, p->request_id);
  EXPECT_EQ((*logged)[0].model, "houses");
  EXPECT_EQ(json::parse((*logged)[0].outputs_json), json::parse(R"([{"predicted":5},
                                                                   {"predicted":-1}])"));
  const ServingSeries::Snapshot counted = Counted();
  EXPECT_EQ(counted.requests_by_code, (std::map<int, int64_t>{{200, 1}}));
  EXPECT_EQ(counted.rows, 2);
}

TEST_F(PredictServiceTest, AnUnknownDeploymentIsNotFoundAndGetsNoSeries) {
  Result<Prediction> p = Service().Predict(protocol_, "nosuch", "{}", std::nullopt);
  EXPECT_EQ(p.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Service().MetricsText().find("nosuch"), std::string::npos);
}

TEST_F(PredictServiceTest, ABadBodyIsCountedUnderItsCodeAndNotLogged) {
  OpenLog();
  Result<Prediction> p = Service().Predict(protocol_, "prices", R"({"rows": [{"y": 1}]})", {});
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Counted().requests_by_code,
            (std::map<int, int64_t>{{CodeOf(StatusCode::kInvalidArgument), 1}}));
  EXPECT_TRUE(monitoring_.log->Query("prices", 0, 10)->empty());
}

TEST_F(PredictServiceTest, ExtraFieldsWarnUnlessStrict) {
  const std::string body = R"({"rows": [{"x": 1, "id": "a"}]})";
  Result<Prediction> lenient = Service().Predict(protocol_, "prices", body, "false");
  ASSERT_TRUE(lenient.ok()) << lenient.status().ToString();
  EXPECT_NE(lenient->answer.find("column 'id' is not a model input and was ignored"),
            std::string::npos);
  EXPECT_EQ(Counted().ignored_fields, 1);
  EXPECT_EQ(Service().Predict(protocol_, "prices", body, "true").status().code(),
            StatusCode::kInvalidArgument);
  Result<Prediction> bad = Service().Predict(protocol_, "prices", body, "yes");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("'strict_inputs': 'yes'"), std::string::npos);
}

TEST_F(PredictServiceTest, AStrictDeploymentIsStrictWhateverTheRequestSays) {
  auto strict = std::make_unique<FixedModel>("prices", source_->Live()[0].model,
                                             InputPolicy{.strict_inputs = true});
  PredictService service(*strict, monitoring_, CodeOf);
  const std::string body = R"({"rows": [{"x": 1, "id": "a"}]})";
  EXPECT_EQ(service.Predict(protocol_, "prices", body, "false").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(service.Predict(protocol_, "prices", body, "nonsense").status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(PredictServiceTest, FeedbackNeedsTheLogAndJoinsLoggedRequests) {
  EXPECT_EQ(Service().KeepsLog().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Service().AddFeedback("prices", "x", "1").status().code(),
            StatusCode::kFailedPrecondition);
  OpenLog();
  EXPECT_TRUE(Service().KeepsLog().ok());
  Result<Prediction> p =
      Service().Predict(protocol_, "prices", R"({"rows": [{"x": 2}]})", std::nullopt);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  Result<std::vector<VersionQuality>> quality = Service().AddFeedback("prices", p->request_id, "4");
  ASSERT_TRUE(quality.ok()) << quality.status().ToString();
  ASSERT_EQ(quality->size(), 1u);
  EXPECT_EQ((*quality)[0].version, 3);
  EXPECT_TRUE((*quality)[0].regressor);
  EXPECT_DOUBLE_EQ((*quality)[0].mae, 1.0);
  EXPECT_EQ(Service().AddFeedback("prices", "nosuch", "4").status().code(), StatusCode::kNotFound);
}

TEST_F(PredictServiceTest, MetricsTextHasTheCountedRequests) {
  ASSERT_TRUE(Service().Predict(protocol_, "prices", R"({"rows": [{"x": 2}]})", {}).ok());
  const std::string text = Service().MetricsText();
  EXPECT_NE(text.find("kiln_serving_requests_total{deployment=\"prices\",version=\"3\""),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace kiln::serving
