#include "ml/python_predictor.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

namespace kiln::ml {
namespace {

constexpr const char* kPython = "/usr/bin/python3";

// Writes two packages into argv[1]: `logreg` (scikit-learn's LogisticRegression on a tiny
// 3-class problem, with sklearn's own predict_proba of the probe rows in expected.json) and
// `slow` (a custom class from a module shipped in the package that sleeps on a negative input).
constexpr const char* kSetup = R"PY(
import json, os, pickle, sys
from sklearn.linear_model import LogisticRegression
root = sys.argv[1]
features = ["a", "b"]
def package(name, model, classes, pkl="model.pkl"):
    d = os.path.join(root, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, pkl), "wb") as f:
        pickle.dump(model, f)
    json.dump({"format": "kiln-model-v1", "flavor": "python", "python": {"file": pkl},
               "task": "multiclass", "label": "y", "classes": classes, "features": features,
               "signature": [{"name": f, "type": "float64"} for f in features]},
              open(os.path.join(d, "kiln-model.json"), "w"))
    return d
x = [[0, 0], [0, 1], [1, 0], [1, 1], [2, 2], [2, 3], [3, 2], [0, 3], [3, 0], [1, 2]]
y = ["red", "red", "red", "green", "green", "blue", "blue", "green", "blue", "green"]
model = LogisticRegression(max_iter=1000).fit(x, y)
package("logreg", model, [str(c) for c in model.classes_])
probe = [[0.5, 0.5], [2.5, 2.5], [3.1, 0.2], [-1.0, 4.0]]
json.dump(model.predict_proba(probe).tolist(), open(os.path.join(root, "expected.json"), "w"))
slow_dir = os.path.join(root, "slow")
os.makedirs(slow_dir, exist_ok=True)
open(os.path.join(slow_dir, "slowmodel.py"), "w").write(
    "import time\n"
    "class Slow:\n"
    "    classes_ = ['no', 'yes']\n"
    "    def predict_proba(self, x):\n"
    "        if x[0][0] < 0: time.sleep(60)\n"
    "        return [[0.25, 0.75] for _ in x]\n")
sys.path.insert(0, slow_dir)
import slowmodel
package("slow", slowmodel.Slow(), ["no", "yes"])
os.makedirs(os.path.join(root, "broken"))
open(os.path.join(root, "broken", "model.pkl"), "w").write("not a pickle")
json.dump({"format": "kiln-model-v1", "flavor": "python", "python": {"file": "model.pkl"},
           "task": "binary", "classes": ["0", "1"], "features": features},
          open(os.path.join(root, "broken", "kiln-model.json"), "w"))
)PY";

Table Rows(std::vector<double> a, std::vector<double> b) {
  Table t;
  EXPECT_TRUE(t.AddColumn(Column::Float64("a", std::move(a))).ok());
  EXPECT_TRUE(t.AddColumn(Column::Float64("b", std::move(b))).ok());
  return t;
}

Table Probe() { return Rows({0.5, 2.5, 3.1, -1.0}, {0.5, 2.5, 0.2, 4.0}); }

class PythonPredictorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    setenv("KILN_PYTHON", kPython, 1);
    if (std::system((std::string(kPython) + " -c 'import sklearn' 2>/dev/null").c_str()) != 0) {
      return;  // every test skips
    }
    std::string tmpl = (std::filesystem::temp_directory_path() / "kiln_python_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
    const std::string script = root_ + "/setup.py";
    std::ofstream(script) << kSetup;
    ASSERT_EQ(std::system((std::string(kPython) + " " + script + " " + root_).c_str()), 0);
  }
  static void TearDownTestSuite() {
    if (!root_.empty()) std::filesystem::remove_all(root_);
  }
  void SetUp() override {
    if (root_.empty()) GTEST_SKIP() << kPython << " has no scikit-learn";
  }

  static std::unique_ptr<PythonPredictor> Load(const std::string& name,
                                               PythonPredictorOptions options = {}) {
    const std::string dir = root_ + "/" + name;
    Result<ModelPackage> package = ReadPackageManifest(dir);
    EXPECT_TRUE(package.ok()) << package.status().message();
    Result<std::unique_ptr<Predictor>> loaded =
        PythonPredictor::Load(dir, std::move(*package), options);
    EXPECT_TRUE(loaded.ok()) << loaded.status().message();
    if (!loaded.ok()) return nullptr;
    return std::unique_ptr<PythonPredictor>(static_cast<PythonPredictor*>(loaded->release()));
  }

  static std::vector<float> Expected() {
    std::ifstream in(root_ + "/expected.json");
    std::vector<float> out;
    for (const auto& row : nlohmann::json::parse(in)) {
      for (const auto& p : row) out.push_back(static_cast<float>(p.get<double>()));
    }
    return out;
  }

  static inline std::string root_;
};

TEST_F(PythonPredictorTest, PredictionsAreSklearnsPredictProba) {
  Result<std::unique_ptr<Predictor>> predictor = LoadPredictor(root_ + "/logreg");
  ASSERT_TRUE(predictor.ok()) << predictor.status().message();
  EXPECT_EQ((*predictor)->package().flavor, kFlavorPython);
  Result<Predictions> p = (*predictor)->Predict(Probe());
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->width, 3u);
  EXPECT_EQ(p->scores, Expected());  // bit for bit, through float32
  const std::vector<float> expected = Expected();
  ASSERT_EQ(p->predicted.size(), 4u);
  for (size_t r = 0; r < 4; ++r) {
    auto row = expected.begin() + static_cast<long>(r * 3);
    EXPECT_EQ(p->predicted[r], static_cast<size_t>(std::max_element(row, row + 3) - row));
  }
  EXPECT_EQ((*predictor)->package().classes[p->predicted[0]], "red");
}

TEST_F(PythonPredictorTest, WorkerKilledBetweenRequestsIsReplacedTransparently) {
  PythonPredictorOptions options;
  options.workers = 1;
  auto predictor = Load("logreg", options);
  ASSERT_NE(predictor, nullptr);
  ASSERT_TRUE(predictor->Predict(Probe()).ok());
  const int first = predictor->WorkerPids()[0];
  ASSERT_GT(first, 0);
  ASSERT_EQ(kill(first, SIGKILL), 0);
  Result<Predictions> p = predictor->Predict(Probe());
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->scores, Expected());
  EXPECT_NE(predictor->WorkerPids()[0], first);
  EXPECT_EQ(waitpid(first, nullptr, WNOHANG), -1);  // reaped already: no zombie left
}

TEST_F(PythonPredictorTest, BadInputIsInvalidArgumentAndTheWorkerKeepsServing) {
  auto predictor = Load("logreg");
  ASSERT_NE(predictor, nullptr);
  Table strings;
  ASSERT_TRUE(strings.AddColumn(Column::String("a", {"wide"})).ok());
  ASSERT_TRUE(strings.AddColumn(Column::Float64("b", {1.0})).ok());
  Result<Predictions> bad = predictor->Predict(strings);
  ASSERT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("could not convert string to float: 'wide'"),
            std::string::npos)
      << bad.status().message();
  Table missing;
  ASSERT_TRUE(missing.AddColumn(Column::Float64("a", {1.0})).ok());
  Result<Predictions> absent = predictor->Predict(missing);
  ASSERT_EQ(absent.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(absent.status().message().find("'b'"), std::string::npos) << absent.status().message();
  Result<Predictions> nan = predictor->Predict(Rows({std::nan("")}, {1.0}));
  ASSERT_EQ(nan.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(nan.status().message().find("NaN"), std::string::npos) << nan.status().message();
  EXPECT_TRUE(predictor->Predict(Probe()).ok());
}

TEST_F(PythonPredictorTest, ConcurrentPredictsAllGetTheirOwnAnswers) {
  PythonPredictorOptions options;
  options.workers = 2;
  auto predictor = Load("logreg", options);
  ASSERT_NE(predictor, nullptr);
  const std::vector<float> expected = Expected();
  std::vector<int> failures(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        // Each thread sends its own one-row request, so a mixed-up answer would show.
        const size_t row = static_cast<size_t>((t + i) % 4);
        const Table probe = Probe();
        Table one = Rows({probe.column(0).doubles()[row]}, {probe.column(1).doubles()[row]});
        Result<Predictions> p = predictor->Predict(one);
        std::vector<float> want(expected.begin() + static_cast<long>(row * 3),
                                expected.begin() + static_cast<long>(row * 3 + 3));
        if (!p.ok() || p->scores != want) ++failures[t];
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

TEST_F(PythonPredictorTest, HungWorkerIsKilledAndRestarted) {
  PythonPredictorOptions options;
  options.workers = 1;
  options.request_timeout = std::chrono::milliseconds(1500);
  auto predictor = Load("slow", options);  // a custom class from a module inside the package
  ASSERT_NE(predictor, nullptr);
  const int first = predictor->WorkerPids()[0];
  Result<Predictions> hung = predictor->Predict(Rows({-1.0}, {0.0}));
  ASSERT_EQ(hung.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(hung.status().message().find("did not answer within"), std::string::npos)
      << hung.status().message();
  EXPECT_EQ(waitpid(first, nullptr, WNOHANG), -1);  // killed and reaped
  Result<Predictions> next = predictor->Predict(Rows({1.0}, {0.0}));
  ASSERT_TRUE(next.ok()) << next.status().message();
  EXPECT_EQ(next->scores, (std::vector<float>{0.25f, 0.75f}));
}

TEST_F(PythonPredictorTest, LoadErrorsNameTheProblem) {
  Result<std::unique_ptr<Predictor>> broken = LoadPredictor(root_ + "/broken");
  ASSERT_EQ(broken.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(broken.status().message().find("cannot load the model"), std::string::npos)
      << broken.status().message();
  Result<ModelPackage> package = ReadPackageManifest(root_ + "/logreg");
  ASSERT_TRUE(package.ok());
  PythonPredictorOptions options;
  options.python = "/nonexistent/python3";
  Result<std::unique_ptr<Predictor>> none =
      PythonPredictor::Load(root_ + "/logreg", *package, options);
  ASSERT_EQ(none.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(none.status().message().find("/nonexistent/python3"), std::string::npos)
      << none.status().message();
}

TEST(PythonPackageManifestTest, PythonFlavorNeedsAPlainPickleFileName) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "kiln_pyman_XXXXXX").string();
  ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
  ModelPackage package;
  package.flavor = kFlavorPython;
  package.task = "binary";
  package.classes = {"0", "1"};
  package.features = {"x"};
  package.python_file = "model.pkl";
  ASSERT_TRUE(WritePackageManifest(package, tmpl).ok());
  Result<ModelPackage> read = ReadPackageManifest(tmpl);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->python_file, "model.pkl");
  package.python_file = "../model.pkl";
  ASSERT_TRUE(WritePackageManifest(package, tmpl).ok());
  EXPECT_EQ(ReadPackageManifest(tmpl).status().code(), StatusCode::kInvalidArgument);
  std::filesystem::remove_all(tmpl);
}

}  // namespace
}  // namespace kiln::ml
