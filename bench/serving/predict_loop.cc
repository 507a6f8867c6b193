// The prediction route in-process, without the network: one native single-row request through
// the router (media check, choice, fast-path parse, scoring, request log, metrics, answer)
// repeated, timed. Built against a build folder's libraries by predict_loop_ab.sh, so two
// builds of the same route can be compared where HTTP benchmarks are too noisy.
//   predict_loop PACKAGE_DIR LOG_DIR ITERATIONS REPEATS
// Prints the fastest repeat's nanoseconds per request.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "api/serving/predict_routes.h"
#include "http/router.h"
#include "serving/loaded_model.h"
#include "serving/model_source.h"
#include "serving/monitoring.h"

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: predict_loop PACKAGE_DIR LOG_DIR ITERATIONS REPEATS\n");
    return 2;
  }
  using namespace kiln;
  auto model = serving::ModelLoader::LoadFolder("iris", 1, argv[1]);
  if (!model.ok()) return std::fprintf(stderr, "%s\n", model.status().ToString().c_str()), 1;
  serving::FixedModel source("iris", *model);
  serving::Monitoring monitoring;
  if (!monitoring.OpenLog(argv[2]).ok()) return 1;
  api::serving_api::ServingContext context{source, monitoring};
  http::Router router;
  api::serving_api::AddPredictRoutes(router, context);
  http::Request request;
  request.method = "POST";
  request.target = request.path = "/serve/iris/predict";
  request.headers["content-type"] = "application/json";
  request.body = R"({"rows": [{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, )"
                 R"("petal_width": 0.2}]})";
  const long iterations = std::atol(argv[3]);
  const int repeats = std::atoi(argv[4]);
  double best = 1e30;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    for (long i = 0; i < iterations; ++i) {
      if (router.Dispatch(request).status != 200) return 1;
    }
    const std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
    best = std::min(best, took.count() / iterations);
  }
  std::printf("%.0f\n", best);
  return 0;
}
