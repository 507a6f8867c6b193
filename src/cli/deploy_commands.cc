#include "cli/deploy_commands.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/client_flags.h"
#include "cli/exit_codes.h"
#include "cli/table.h"

namespace kiln::cli {

using nlohmann::json;

namespace {

struct DeployCommandFlags : ClientFlags {
  DeployFlags deploy;
  std::string target;  // NAME for undeploy and show
  RequestsFlags requests;
};

int FailDeploy(const Status& status) { return Fail(status, "kiln deploy"); }

std::string DeploymentPath(const std::string& name) {
  return "/api/v1/deployments/" + UrlEncode(name);
}

std::string SlotLine(const json& slot) {
  if (slot.is_null()) return "-";
  std::string line = slot.value("ref", "") + " -> ";
  const int64_t serving = slot.value("serving_version", int64_t{0});
  line += serving > 0 ? "v" + std::to_string(serving) : "none";
  return line + " (" + slot.value("state", "") + ")";
}

// Polls until every slot of the deployment is "ready" or one has nothing to serve and failed.
Result<json> WaitUntilServing(ApiCaller& api, const std::string& name, int timeout_s) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  while (true) {
    KILN_ASSIGN_OR_RETURN(json answer, api.Get(DeploymentPath(name), {}));
    const json& d = answer["deployment"];
    bool ready = true;
    for (const char* key : {"primary", "canary_status"}) {
      if (d[key].is_null()) continue;
      const std::string state = d[key].value("state", "");
      if (state == "failed") {
        return Unavailable(std::string(key) + " " + d[key].value("ref", "") +
                           " cannot be served: " + d[key].value("error", ""));
      }
      ready = ready && state == "ready";
    }
    if (ready) return d;
    if (std::chrono::steady_clock::now() > deadline) {
      return Unavailable("deployment '" + name + "' is not serving after " +
                         std::to_string(timeout_s) + " s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

void PrintQuality(const json& quality) {
  for (const json& q : quality) {
    std::cout << "  quality " << q.value("model", "") << "/" << q.value("version", int64_t{0})
              << ": " << q.value("rows", int64_t{0}) << " rows with feedback";
    if (q.contains("accuracy")) {
      std::cout << ", accuracy " << q.value("accuracy", 0.0);
    } else {
      std::cout << ", rmse " << q.value("rmse", 0.0) << ", mae " << q.value("mae", 0.0);
    }
    std::cout << "\n";
  }
}

// The drift of the version a slot serves, one line per feature with live rows:
//   drift   iris-classifier/3 petal_width: PSI 0.031 (stable, 250 live rows, 2 unseen)
//   drift   iris-classifier/4 petal_width: insufficient data (12 of 100 rows)
void PrintDrift(const json& slot) {
  const json drift = slot.value("drift", json(nullptr));
  if (!drift.is_array()) return;
  std::string ref = slot.value("ref", "");
  ref = ref.substr(0, ref.find_first_of("@/")) + "/" +
        std::to_string(slot.value("serving_version", int64_t{0}));
  for (const json& f : drift) {
    const int64_t rows = f.value("live_rows", int64_t{0});
    if (rows == 0) continue;
    std::cout << "  drift   " << ref << " " << f.value("feature", "") << ": ";
    if (f.value("level", "") == "insufficient_data") {
      std::cout << "insufficient data (" << rows << " of " << f.value("min_rows", int64_t{0})
                << " rows)";
    } else {
      std::cout << "PSI " << f.value("psi", 0.0) << " (" << f.value("level", "") << ", " << rows
                << " live rows";
      const int64_t unseen = f.value("unseen_values", int64_t{0});
      if (unseen > 0) std::cout << ", " << unseen << " unseen";
      std::cout << ")";
    }
    std::cout << "\n";
  }
}

void PrintDeployment(const json& d) {
  std::cout << "deployment " << d.value("name", "") << "\n"
            << "  model   " << SlotLine(d["primary"]) << "\n";
  if (!d["canary_status"].is_null()) {
    std::cout << "  canary  " << SlotLine(d["canary_status"]) << ", " << d.value("canary_weight", 0)
              << "% of requests\n";
  }
  if (d.value("strict_inputs", false)) {
    std::cout << "  inputs  strict (extra fields and unseen categories are refused)\n";
  }
  for (const char* key : {"primary", "canary_status"}) {
    if (!d[key].is_null() && !d[key].value("error", "").empty()) {
      std::cout << "  warning " << d[key].value("error", "") << "\n";
    }
  }
  if (d.contains("quality")) PrintQuality(d["quality"]);
  PrintDrift(d["primary"]);
  if (!d["canary_status"].is_null()) PrintDrift(d["canary_status"]);
  for (const auto& [name, path] : d["endpoints"].items()) {
    std::cout << "  " << name << std::string(name.size() < 13 ? 13 - name.size() : 1, ' ')
              << path.get<std::string>() << "\n";
  }
}

CLI::App* WithFlags(CLI::App* command, DeployCommandFlags& flags) {
  AddClientFlags(*command, flags);
  return command;
}

void AddDeployCommand(CLI::App& app, std::shared_ptr<DeployCommandFlags> flags, int& rc) {
  CLI::App* deploy =
      WithFlags(app.add_subcommand("deploy", "Serve a registered model over HTTP"), *flags);
  DeployFlags& d = flags->deploy;
  deploy->add_option("NAME", d.name, "Deployment name (the URL segment)")->required();
  deploy->add_option("--model", d.model, "MODEL@ALIAS (follows the alias) or MODEL/VERSION")
      ->required();
  deploy->add_option("--canary", d.canary, "A second MODEL/VERSION or MODEL@ALIAS");
  CLI::Option* canary_weight =
      deploy->add_option("--canary-weight", d.canary_weight, "Percent of requests for the canary")
          ->default_val(10);
  canary_weight->needs(deploy->get_option("--canary"));
  deploy->add_flag("--strict-inputs", d.strict_inputs,
                   "Refuse fields that are not model inputs and categories not seen in training "
                   "(default: ignore / encode them, with a warning)");
  deploy
      ->add_option("--drift-min-rows", d.drift_min_rows,
                   "Live rows a feature needs before its drift has a level (0: the server's "
                   "default)")
      ->check(CLI::Range(int64_t{0}, int64_t{1000000000}));
  deploy->add_flag(
      "--no-wait", [flags](int64_t) { flags->deploy.wait = false; },
      "Return without waiting for the model to load");
  deploy->add_option("--timeout", d.timeout_s, "Seconds to wait for loading")->default_val(120);
  deploy->callback([flags, &rc] {
    const bool wait = flags->deploy.wait && !flags->server.empty();
    rc = WithApi(*flags, true, [&](ApiCaller& api) { return Deploy(api, flags->deploy, wait); });
  });
  CLI::App* undeploy =
      WithFlags(app.add_subcommand("undeploy", "Stop serving a deployment"), *flags);
  undeploy->add_option("NAME", flags->target, "Deployment name")->required();
  undeploy->callback([flags, &rc] {
    rc = WithApi(*flags, false, [&](ApiCaller& api) { return Undeploy(api, flags->target); });
  });
}

void AddDeploymentsGroup(CLI::App& app, std::shared_ptr<DeployCommandFlags> flags, int& rc) {
  CLI::App* group =
      app.add_subcommand("deployments", "List and inspect deployments")->require_subcommand(1);
  CLI::App* ls = WithFlags(group->add_subcommand("ls", "List deployments"), *flags);
  ls->callback([flags, &rc] {
    rc =
        WithApi(*flags, false, [&](ApiCaller& api) { return ListDeployments(api, flags->output); });
  });
  CLI::App* requests =
      WithFlags(group->add_subcommand("requests", "The newest logged requests"), *flags);
  requests->add_option("NAME", flags->requests.name, "Deployment name")->required();
  requests->add_option("--since-ms", flags->requests.since_ms,
                       "Only requests answered at or after this time (ms since the epoch)");
  requests->add_option("--limit", flags->requests.limit, "At most this many (newest)")
      ->default_val(20);
  requests->callback([flags, &rc] {
    rc = WithApi(*flags, false,
                 [&](ApiCaller& api) { return ListRequests(api, flags->requests, flags->output); });
  });
  CLI::App* show = WithFlags(group->add_subcommand("show", "Show one deployment"), *flags);
  show->add_option("NAME", flags->target, "Deployment name")->required();
  show->callback([flags, &rc] {
    rc = WithApi(*flags, false,
                 [&](ApiCaller& api) { return ShowDeployment(api, flags->target, flags->output); });
  });
}

}  // namespace

int Deploy(ApiCaller& api, const DeployFlags& flags, bool wait) {
  json body = {{"name", flags.name}, {"model", flags.model}};
  if (flags.strict_inputs) body["strict_inputs"] = true;
  if (flags.drift_min_rows > 0) body["drift_min_rows"] = flags.drift_min_rows;
  if (!flags.canary.empty()) {
    body["canary"] = flags.canary;
    body["canary_weight"] = flags.canary_weight;
  }
  Result<json> answer = api.Post("/api/v1/deployments", body);
  if (!answer.ok()) return FailDeploy(answer.status());
  json deployment = (*answer)["deployment"];
  if (wait) {
    Result<json> serving = WaitUntilServing(api, flags.name, flags.timeout_s);
    if (!serving.ok()) return FailDeploy(serving.status());
    deployment = *serving;
  }
  PrintDeployment(deployment);
  if (!wait) {
    std::cout << "  (recorded; a server started on this data folder serves it, a running one "
                 "only if told through --server)\n";
  }
  return kExitOk;
}

int Undeploy(ApiCaller& api, const std::string& name) {
  Result<json> done = api.Post(DeploymentPath(name) + "/delete", json::object());
  if (!done.ok()) return Fail(done.status(), "kiln undeploy");
  std::cout << "removed deployment " << name << "\n";
  return kExitOk;
}

int ListDeployments(ApiCaller& api, const OutputFlags& out) {
  Result<json> body = api.Get("/api/v1/deployments", {});
  if (!body.ok()) return Fail(body.status(), "kiln deployments");
  if (out.json) {
    std::cout << body->dump(2) << "\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const json& d : (*body)["deployments"]) {
    const json& canary = d["canary_status"];
    rows.push_back({d.value("name", ""), SlotLine(d["primary"]),
                    canary.is_null() ? "-"
                                     : SlotLine(canary) + " " +
                                           std::to_string(d.value("canary_weight", 0)) + "%",
                    FormatTime(d.value("updated_ms", int64_t{0}))});
  }
  PrintTable(std::cout, {"NAME", "MODEL", "CANARY", "UPDATED"}, rows, 60);
  return kExitOk;
}

int ShowDeployment(ApiCaller& api, const std::string& name, const OutputFlags& out) {
  Result<json> body = api.Get(DeploymentPath(name), {});
  if (!body.ok()) return Fail(body.status(), "kiln deployments");
  if (out.json) {
    std::cout << body->dump(2) << "\n";
    return kExitOk;
  }
  PrintDeployment((*body)["deployment"]);
  return kExitOk;
}

int ListRequests(ApiCaller& api, const RequestsFlags& flags, const OutputFlags& out) {
  Result<json> body = api.Get(
      DeploymentPath(flags.name) + "/requests",
      {{"since_ms", std::to_string(flags.since_ms)}, {"limit", std::to_string(flags.limit)}});
  if (!body.ok()) return Fail(body.status(), "kiln deployments");
  if (out.json) {
    std::cout << body->dump(2) << "\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const json& r : (*body)["requests"]) {
    std::string predicted;
    for (const json& o : r["outputs"]) {
      predicted += (predicted.empty() ? "" : " ") + Cell(o.value("predicted", json(nullptr)));
    }
    char latency[32];
    std::snprintf(latency, sizeof latency, "%.3f", r.value("latency_ms", 0.0));
    rows.push_back({r.value("request_id", ""), FormatTime(r.value("time_ms", int64_t{0})),
                    r.value("model", "") + "/" + std::to_string(r.value("version", int64_t{0})),
                    latency, predicted});
  }
  PrintTable(std::cout, {"REQUEST", "TIME (UTC)", "MODEL", "MS", "PREDICTED"}, rows, 60);
  return kExitOk;
}

void AddDeployCommands(CLI::App& app, int& rc) {
  auto flags = std::make_shared<DeployCommandFlags>();
  AddDeployCommand(app, flags, rc);
  AddDeploymentsGroup(app, flags, rc);
}

}  // namespace kiln::cli
