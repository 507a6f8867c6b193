#include "cli/query_commands.h"

#include <fmt/format.h>

#include <iostream>

#include "cli/exit_codes.h"
#include "cli/table.h"

namespace kiln::cli {

using nlohmann::json;

namespace {

using Query = std::vector<std::pair<std::string, std::string>>;

// Fetches `path`, then prints its JSON or hands it to `print`.
int Show(ApiCaller& api, const std::string& path, const Query& query, const OutputFlags& out,
         const std::function<void(const json&)>& print) {
  Result<json> body = api.Get(path, query);
  if (!body.ok()) {
    std::cerr << "kiln: " << body.status().message() << "\n";
    return ExitCodeFor(body.status());
  }
  if (out.json)
    std::cout << body->dump(2) << "\n";
  else
    print(*body);
  return kExitOk;
}

// A field for a table cell; floats are shortened to 6 significant digits (--json keeps all).
std::string Text(const json& object, const char* key) {
  if (!object.contains(key)) return "";
  const json& v = object[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_float()) return fmt::format("{:.6g}", v.get<double>());
  return v.dump();
}

int64_t Millis(const json& object, const char* key) {
  return object.contains(key) && object[key].is_number() ? object[key].get<int64_t>() : 0;
}

std::string MetricSummary(const json& run, size_t limit) {
  std::string out;
  const json& metrics = run["data"].value("metrics", json::array());
  for (size_t i = 0; i < metrics.size() && i < limit; ++i) {
    out += (i ? " " : "") + Text(metrics[i], "key") + "=" + Text(metrics[i], "value");
  }
  // Say that some were left out, and how many, rather than cutting silently.
  if (metrics.size() > limit) out += " (+" + std::to_string(metrics.size() - limit) + " more)";
  return out;
}

void PrintKeyValues(const char* title, const json& list) {
  if (list.empty()) return;
  std::cout << "\n" << title << ":\n";
  std::vector<std::vector<std::string>> rows;
  for (const json& item : list) rows.push_back({Text(item, "key"), Text(item, "value")});
  PrintTable(std::cout, {"KEY", "VALUE"}, rows, 80);
}

// The run's MLflow dataset inputs: name, digest, source and the `mlflow.data.context` tag
// (which input of the step read it, or e.g. "training").
void PrintDatasetInputs(const json& run) {
  const json& inputs = run.value("inputs", json::object()).value("dataset_inputs", json::array());
  if (inputs.empty()) return;
  std::cout << "\nDataset inputs:\n";
  std::vector<std::vector<std::string>> rows;
  for (const json& input : inputs) {
    const json& dataset = input.value("dataset", json::object());
    std::string context;
    for (const json& tag : input.value("tags", json::array())) {
      if (Text(tag, "key") == "mlflow.data.context") context = Text(tag, "value");
    }
    rows.push_back(
        {Text(dataset, "name"), Text(dataset, "digest"), Text(dataset, "source"), context});
  }
  PrintTable(std::cout, {"NAME", "DIGEST", "SOURCE", "CONTEXT"}, rows, 80);
}

}  // namespace

int ListExperiments(ApiCaller& api, const OutputFlags& out) {
  return Show(api, "/api/v1/experiments", {{"max_results", "1000"}}, out, [](const json& body) {
    std::vector<std::vector<std::string>> rows;
    for (const json& e : body["experiments"]) {
      rows.push_back({Text(e, "experiment_id"), Text(e, "name"), Text(e, "lifecycle_stage"),
                      FormatTime(Millis(e, "creation_time")), Text(e, "artifact_location")});
    }
    PrintTable(std::cout, {"ID", "NAME", "STAGE", "CREATED", "ARTIFACTS"}, rows);
  });
}

int ListRuns(ApiCaller& api, const RunListFlags& flags, const OutputFlags& out) {
  Query query{{"max_results", std::to_string(flags.max_results)}};
  if (!flags.filter.empty()) query.emplace_back("filter", flags.filter);
  for (const auto& id : flags.experiment_ids) query.emplace_back("experiment_id", id);
  for (const auto& order : flags.order_by) query.emplace_back("order_by", order);
  return Show(api, "/api/v1/runs", query, out, [](const json& body) {
    std::vector<std::vector<std::string>> rows;
    for (const json& run : body["runs"]) {
      const json& info = run["info"];
      rows.push_back({Text(info, "run_id"), Text(info, "run_name"), Text(info, "experiment_id"),
                      Text(info, "status"), FormatTime(Millis(info, "start_time")),
                      MetricSummary(run, 3)});
    }
    PrintTable(std::cout, {"RUN ID", "NAME", "EXPERIMENT", "STATUS", "STARTED", "METRICS"}, rows,
               64);
    if (body.contains("next_page_token")) std::cout << "(more runs: raise --max)\n";
  });
}

int ShowRun(ApiCaller& api, const std::string& run_id, const OutputFlags& out) {
  return Show(api, "/api/v1/runs/" + UrlEncode(run_id), {}, out, [](const json& body) {
    const json& run = body["run"];
    const json& info = run["info"];
    for (const char* key : {"run_id", "run_name", "experiment_id", "status", "user_id",
                            "lifecycle_stage", "artifact_uri"}) {
      std::cout << key << ": " << Text(info, key) << "\n";
    }
    std::cout << "start_time: " << FormatTime(Millis(info, "start_time")) << "\n";
    if (info.contains("end_time"))
      std::cout << "end_time: " << FormatTime(Millis(info, "end_time")) << "\n";
    const json& data = run["data"];
    PrintKeyValues("Params", data.value("params", json::array()));
    PrintKeyValues("Metrics", data.value("metrics", json::array()));
    PrintKeyValues("Tags", data.value("tags", json::array()));
    PrintDatasetInputs(run);
  });
}

int ListModels(ApiCaller& api, const OutputFlags& out) {
  return Show(api, "/api/v1/models", {{"max_results", "1000"}}, out, [](const json& body) {
    std::vector<std::vector<std::string>> rows;
    for (const json& m : body["models"]) {
      std::string latest, aliases;
      for (const json& v : m.value("latest_versions", json::array())) {
        latest += (latest.empty() ? "" : " ") + Text(v, "version") + ":" + Text(v, "current_stage");
      }
      for (const json& a : m.value("aliases", json::array())) {
        aliases += (aliases.empty() ? "" : " ") + Text(a, "alias") + "=" + Text(a, "version");
      }
      rows.push_back(
          {Text(m, "name"), latest, aliases, FormatTime(Millis(m, "last_updated_timestamp"))});
    }
    PrintTable(std::cout, {"NAME", "LATEST VERSIONS", "ALIASES", "UPDATED"}, rows);
  });
}

int ShowModel(ApiCaller& api, const std::string& name, const OutputFlags& out) {
  return Show(api, "/api/v1/models/" + UrlEncode(name), {}, out, [](const json& body) {
    const json& m = body["model"];
    std::cout << "name: " << Text(m, "name") << "\n";
    if (m.contains("description")) std::cout << "description: " << Text(m, "description") << "\n";
    std::vector<std::vector<std::string>> rows;
    for (const json& v : m["versions"]) {
      std::string aliases;
      for (const json& a : v.value("aliases", json::array()))
        aliases += (aliases.empty() ? "" : ",") + a.get<std::string>();
      rows.push_back({Text(v, "version"), Text(v, "current_stage"), aliases, Text(v, "run_id"),
                      Text(v, "source"), FormatTime(Millis(v, "creation_timestamp"))});
    }
    std::cout << "\n";
    PrintTable(std::cout, {"VERSION", "STAGE", "ALIASES", "RUN", "SOURCE", "CREATED"}, rows);
  });
}

}  // namespace kiln::cli
