#include "cli/register_step.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli/api_caller.h"
#include "cli/exit_codes.h"
#include "config/config_loader.h"
#include "ml/file_io.h"
#include "ml/model_package.h"

namespace kiln::cli {
namespace {

using nlohmann::json;

constexpr const char* kRegistry = "/api/2.0/mlflow/";
constexpr const char* kMetricTag = "kiln.metric";

// The metric `metric` from evaluate's report, if the step has one.
Result<std::optional<double>> ReportMetric(const ml::BuiltinStep& step, const std::string& metric) {
  if (metric.empty()) return std::optional<double>();
  if (!step.HasInput("report")) {
    return InvalidArgument("param 'metric' needs the 'report' input (evaluate's report)");
  }
  KILN_ASSIGN_OR_RETURN(std::string path, step.Input("report"));
  KILN_ASSIGN_OR_RETURN(ml::FileBytes bytes, ml::ReadFileBytes(path));
  json report = json::parse(bytes.view(), nullptr, /*allow_exceptions=*/false);
  if (!report.is_object() || !report.contains("metrics") || !report["metrics"].contains(metric) ||
      !report["metrics"][metric].is_number()) {
    return InvalidArgument("the report has no metric '" + metric + "'");
  }
  return std::optional<double>(report["metrics"][metric].get<double>());
}

// The current alias holder's recorded metric; nullopt when there is no holder (or no value).
std::optional<double> HolderMetric(ApiCaller& api, const std::string& name,
                                   const std::string& alias, const std::string& metric) {
  Result<json> holder = api.Get(std::string(kRegistry) + "registered-models/alias",
                                {{"name", name}, {"alias", alias}});
  if (!holder.ok()) return std::nullopt;
  for (const json& tag : (*holder)["model_version"].value("tags", json::array())) {
    if (tag.value("key", "") == std::string(kMetricTag) + "." + metric) {
      return std::strtod(tag.value("value", "").c_str(), nullptr);
    }
  }
  return std::nullopt;
}

Result<std::string> CreateVersion(ApiCaller& api, const ml::BuiltinStep& step,
                                  const std::string& name, const std::string& metric,
                                  std::optional<double> value) {
  KILN_ASSIGN_OR_RETURN(std::string package, step.Input("model"));
  KILN_RETURN_IF_ERROR(ml::ReadPackageManifest(package).status());
  const std::string digest = std::filesystem::path(package).filename().string();
  Result<json> created =
      api.Post(std::string(kRegistry) + "registered-models/create", {{"name", name}});
  if (!created.ok() && created.status().code() != StatusCode::kAlreadyExists) {
    return created.status();
  }
  json tags = json::array({{{"key", "kiln.package"}, {"value", digest}}});
  if (value)
    tags.push_back(
        {{"key", std::string(kMetricTag) + "." + metric}, {"value", json(*value).dump()}});
  const char* run_id = std::getenv("KILN_PIPELINE_RUN_ID");
  KILN_ASSIGN_OR_RETURN(json version, api.Post(std::string(kRegistry) + "model-versions/create",
                                               {{"name", name},
                                                {"source", "kiln-package:" + digest},
                                                {"run_id", run_id ? run_id : ""},
                                                {"tags", tags}}));
  return version["model_version"].value("version", "");
}

Status Register(const ml::BuiltinStep& step) {
  KILN_ASSIGN_OR_RETURN(std::string name, step.String("name"));
  KILN_ASSIGN_OR_RETURN(std::string alias, step.String("alias"));
  KILN_ASSIGN_OR_RETURN(std::string metric, step.String("metric"));
  KILN_ASSIGN_OR_RETURN(std::string mode, step.String("mode"));
  KILN_ASSIGN_OR_RETURN(std::optional<double> value, ReportMetric(step, metric));
  const char* data_dir = std::getenv("KILN_DATA_DIR");
  if (data_dir == nullptr) return FailedPrecondition("KILN_DATA_DIR is not set (run it as a step)");
  // The stores are the server's: its pipeline service passes them to every step as KILN_STORE
  // and KILN_ARTIFACTS (PipelineServiceOptions::step_env).
  config::ConfigInputs inputs{{{"data", data_dir}}, config::ProcessEnvironment(), ""};
  KILN_ASSIGN_OR_RETURN(config::Config settings, config::ResolveConfig(inputs));
  KILN_ASSIGN_OR_RETURN(std::unique_ptr<ApiCaller> api, MakeApiCaller("", settings));
  KILN_ASSIGN_OR_RETURN(std::string version, CreateVersion(*api, step, name, metric, value));
  bool move = !alias.empty();
  if (move && value) {
    std::optional<double> holder = HolderMetric(*api, name, alias, metric);
    move = !holder || (mode == "min" ? *value < *holder : *value > *holder);
  }
  if (move) {
    KILN_RETURN_IF_ERROR(api->Post(std::string(kRegistry) + "registered-models/alias",
                                   {{"name", name}, {"alias", alias}, {"version", version}})
                             .status());
  }
  std::cout << "registered " << name << " version " << version
            << (move ? " and moved @" + alias + " to it" : "") << "\n";
  KILN_RETURN_IF_ERROR(step.LogMetric("registered_version", std::strtod(version.c_str(), nullptr)));
  return step.LogMetric("alias_moved", move ? 1 : 0);
}

}  // namespace

int RunRegisterStep(const ml::BuiltinStep& step) {
  Status status = Register(step);
  if (!status.ok()) {
    std::cerr << "register: " << status.message() << "\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace kiln::cli
