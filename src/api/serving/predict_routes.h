// The serving routes of every deployment (documented in docs/serving.md):
//   POST /serve/{name}/predict          Kiln's native rows
//   POST /serve/{name}/invocations      MLflow's scoring format
//   GET  /serve/{name}/openapi.json     an OpenAPI document from the model's signature
//   GET  /v2/health/live, /v2/health/ready, /v2/models/{name}, /v2/models/{name}/ready
//   POST /v2/models/{name}/infer        KServe v2 / Open Inference Protocol
// Predictions run on the I/O thread: a model is loaded and warmed before it is chosen, so a
// prediction is microseconds of work, never a wait.
#pragma once

#include "http/router.h"
#include "serving/model_source.h"
#include "serving/monitoring.h"
#include "serving/predict_service.h"

namespace kiln::api::serving_api {

// What the serving routes use; everything must outlive the router.
struct ServingContext {
  // The prediction flow over `models` and `monitoring`, its metrics counted by HTTP status.
  ServingContext(serving::ModelSource& models, serving::Monitoring& monitoring);

  serving::ModelSource& models;
  serving::Monitoring& monitoring;  // requests are logged once its log is open
  serving::PredictService predict;
};

// Registers the routes above; `context` must outlive the router.
void AddPredictRoutes(http::Router& router, ServingContext& context);

}  // namespace kiln::api::serving_api
