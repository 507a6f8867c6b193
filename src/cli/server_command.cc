#include "cli/server_command.h"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <filesystem>

#include "api/app.h"
#include "api/web_ui.h"
#include "cli/exit_codes.h"
#include "cli/local_auth.h"
#include "cli/log_setup.h"
#include "cli/stop_signals.h"
#include "cli/web_ui_dir.h"
#include "http/host_policy.h"
#include "http/server.h"

namespace kiln::cli {

namespace {

void ServeWebUi(const ServerFlags& flags, api::App& app) {
  const std::string dir = flags.ui_dir.empty() ? FindWebUiDir() : flags.ui_dir;
  if (api::HasWebUi(dir)) {
    spdlog::info("web UI: {}", dir);
  } else {
    spdlog::warn(
        "the web UI is not built ({}); build it with `cd web && npm ci && npm run build` "
        "or pass --ui-dir",
        dir.empty() ? "no web/dist next to the binary" : "no index.html in " + dir);
  }
  app.ServeWebUi(dir);
}

api::AppOptions AppOptionsOf(const ServerFlags& flags) {
  api::AppOptions options;
  ApplySeams(flags.settings, options);
  options.allow_remote_commands = AllowsRemoteCommands(flags);
  for (const std::string& root : flags.pipeline_roots) {
    std::error_code ec;
    options.pipeline_roots.push_back(
        std::filesystem::absolute(root, ec).lexically_normal().string());
  }
  spdlog::info(
      "commands from network clients: {} ({})",
      options.allow_remote_commands ? "allowed" : "refused",
      flags.allow_remote_commands ? "--allow-remote-commands" : "default for this address");
  return options;
}

}  // namespace

int ConfigureAndRunServer(ServerFlags& flags) {
  Result<config::Config> settings = ResolveConfigFlags(flags.config);
  if (!settings.ok()) {
    std::fprintf(stderr, "kiln server: %s\n", settings.status().message().c_str());
    return kExitUsage;
  }
  if (flags.print_config) {
    std::fputs(settings->Describe().c_str(), stdout);
    return kExitOk;
  }
  flags.settings = *settings;
  flags.data = settings->Get("data");
  flags.host = settings->Get("host");
  flags.port = static_cast<uint16_t>(settings->GetNumber("port"));
  flags.threads = static_cast<int>(settings->GetNumber("threads"));
  flags.max_body_mb = static_cast<int>(settings->GetNumber("max_body_mb"));
  UseLogFormat(settings->Get("log_format"));
  return RunServer(flags);
}

bool AllowsRemoteCommands(const ServerFlags& flags) {
  if (flags.allow_remote_commands) return *flags.allow_remote_commands;
  std::string_view host = flags.host;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return http::IsLoopbackName(host);
}

int RunServer(const ServerFlags& flags) {
  const StopSignals stop_signals;  // before any thread starts

  auto app = api::App::Open(flags.data, AppOptionsOf(flags));
  if (!app.ok()) {
    spdlog::error("{}", app.status().message());
    return ExitCodeFor(app.status());
  }
  if (Status admin = AnnounceInitialAdmin(flags.settings); !admin.ok()) {
    spdlog::error("{}", admin.message());
    return ExitCodeFor(admin);
  }
  http::ServerOptions options;
  options.host = flags.host;
  options.port = flags.port;
  options.threads = flags.threads;
  options.max_body_bytes = static_cast<size_t>(flags.max_body_mb) * 1024 * 1024;
  options.access_log = !flags.quiet;
  ApplyHttpFlags(flags.http, options);
  if (Status serving = (*app)->StartServing(flags.drift_min_rows); !serving.ok()) {
    spdlog::error("{}", serving.message());
    return ExitCodeFor(serving);
  }
  ServeWebUi(flags, **app);
  http::Server server(options, (*app)->router());
  Result<uint16_t> port = server.Start();
  if (!port.ok()) {
    spdlog::error("{}", port.status().message());
    return port.status().code() == StatusCode::kInvalidArgument ? ExitCodeFor(port.status())
                                                                : kExitFailure;
  }
  WarnIfExposed(flags.host,
                "read and change all its data, models and pipelines and, when remote commands "
                "are allowed (--allow-remote-commands), run commands on this machine as this "
                "user");
  // Steps reach the tracking API over loopback when the server listens on every address.
  const std::string step_host = flags.host == "0.0.0.0" ? "127.0.0.1" : flags.host;
  (*app)->SetTrackingUri("http://" + step_host + ":" + std::to_string(*port));
  (*app)->StartScheduler();
  std::printf("Kiln server listening on http://%s:%u\n", flags.host.c_str(), unsigned{*port});
  std::fflush(stdout);
  spdlog::info("data folder: {}", flags.data);
  const int signal_number = stop_signals.Wait();
  spdlog::info("received signal {}, stopping", signal_number);
  server.Stop();
  return kExitOk;
}

}  // namespace kiln::cli
