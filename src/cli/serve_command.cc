#include "cli/serve_command.h"

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>

#include "api/serving/predict_routes.h"
#include "cli/exit_codes.h"
#include "cli/package_fetch.h"
#include "cli/stop_signals.h"
#include "http/server.h"
#include "serving/loaded_model.h"
#include "serving/model_source.h"
#include "serving/monitoring.h"

namespace kiln::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kModelsScheme = "models:/";

// The model behind `flags.model_uri`, loaded and warmed.
Result<std::shared_ptr<const serving::LoadedModel>> LoadModel(const ServeFlags& flags) {
  const std::string& uri = flags.model_uri;
  if (uri.rfind(kModelsScheme, 0) != 0) {
    if (!fs::is_directory(uri)) {
      return InvalidArgument("'" + uri +
                             "' is neither a package folder nor models:/MODEL@ALIAS "
                             "or models:/MODEL/VERSION");
    }
    const std::string name = fs::absolute(uri).lexically_normal().filename().string();
    return serving::ModelLoader::LoadFolder(name, 0, uri);
  }
  std::optional<Result<std::shared_ptr<const serving::LoadedModel>>> loaded;
  const int rc = WithApi(flags, false, [&](ApiCaller& api) {
    Result<FetchedPackage> fetched =
        FetchModelPackage(api, uri.substr(std::string(kModelsScheme).size()));
    if (!fetched.ok()) {
      loaded = fetched.status();
    } else {
      loaded =
          serving::ModelLoader::LoadFolder(fetched->name(), fetched->version(), fetched->dir());
    }
    return kExitOk;
  });
  if (!loaded) return Unavailable("cannot reach the registry (exit " + std::to_string(rc) + ")");
  return *loaded;
}

int Serve(const ServeFlags& flags) {
  const StopSignals stop_signals;  // before any thread starts (the Python workers' too)
  Result<std::shared_ptr<const serving::LoadedModel>> model = LoadModel(flags);
  if (!model.ok()) return Fail(model.status(), "kiln serve");
  const std::string name = flags.name.empty() ? (*model)->name : flags.name;
  serving::FixedModel source(name, *model, {flags.strict_inputs, flags.drift_min_rows});
  serving::Monitoring monitoring;
  if (!flags.log_dir.empty()) {
    if (Status opened = monitoring.OpenLog(flags.log_dir); !opened.ok()) {
      return Fail(opened, "kiln serve");
    }
  }
  api::serving_api::ServingContext context{source, monitoring};
  http::Router router;
  api::serving_api::AddPredictRoutes(router, context);
  http::ServerOptions options;
  options.host = flags.host;
  options.port = flags.port;
  options.threads = flags.threads;
  options.max_body_bytes = static_cast<size_t>(flags.max_body_mb) * 1024 * 1024;
  options.access_log = !flags.quiet;
  ApplyHttpFlags(flags.http, options);
  http::Server server(options, router);
  Result<uint16_t> port = server.Start();
  if (!port.ok()) return Fail(port.status(), "kiln serve");
  WarnIfExposed(flags.host, "send it predictions and feedback and read its metrics");
  std::printf("Kiln serving %s/%lld as %s on http://%s:%u\n", (*model)->name.c_str(),
              static_cast<long long>((*model)->version), name.c_str(), flags.host.c_str(),
              unsigned{*port});
  std::fflush(stdout);
  stop_signals.Wait();
  server.Stop();
  return kExitOk;
}

}  // namespace

void AddServeCommand(CLI::App& app, int& rc) {
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* serve = app.add_subcommand("serve", "Serve one model as a stand-alone replica");
  AddClientFlags(*serve, *flags);
  serve
      ->add_option("MODEL_URI", flags->model_uri,
                   "A package folder, models:/MODEL@ALIAS or models:/MODEL/VERSION")
      ->required();
  serve->add_option("--name", flags->name, "Deployment name in the routes (default: the model)");
  serve->add_option("--host", flags->host, "Address to listen on")->default_val("127.0.0.1");
  serve->add_option("--port", flags->port, "Port (0 picks a free one)")->default_val(8080);
  serve->add_option("--threads", flags->threads, "I/O threads (0 = one per core)");
  serve->add_option("--max-body-mb", flags->max_body_mb, "Largest request body")->default_val(64);
  serve->add_option("--log-dir", flags->log_dir, "Keep a request log (and feedback) here");
  serve->add_flag("--quiet", flags->quiet, "No access log");
  AddHttpFlags(*serve, flags->http);
  serve->add_flag("--strict-inputs", flags->strict_inputs,
                  "Refuse fields that are not model inputs and categories not seen in training "
                  "(default: ignore / encode them, with a warning)");
  serve
      ->add_option("--drift-min-rows", flags->drift_min_rows,
                   "Live rows a feature needs before its drift has a level")
      ->check(CLI::Range(int64_t{1}, int64_t{1000000000}))
      ->default_val(100);
  serve->callback([flags, &rc] { rc = Serve(*flags); });
}

}  // namespace kiln::cli
