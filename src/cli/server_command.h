// `kiln server`: serves the APIs over HTTP until SIGINT or SIGTERM.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/config_flags.h"
#include "cli/http_flags.h"
#include "config/settings.h"

namespace kiln::cli {

struct ServerFlags {
  ConfigFlags config;         // --config and the settings' flags
  bool print_config = false;  // --print-config
  config::Config settings;    // resolved from `config`; fills the fields below
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  std::string data = "./kiln-data";
  int threads = 0;
  int max_body_mb = 64;
  bool quiet = false;            // no access log
  std::string ui_dir;            // the built web UI; "" = FindWebUiDir
  HttpFlags http;                // allowed hosts and origins, connection caps
  int64_t drift_min_rows = 100;  // live rows before drift has a level, unless a deployment says
  // Whether network clients may run commands they chose; unset: only when `host` is a loopback
  // address (see AllowsRemoteCommands).
  std::optional<bool> allow_remote_commands;
  std::vector<std::string> pipeline_roots;  // besides <data>/pipelines; relative to the cwd
};

// The --allow-remote-commands setting in effect: the flag's value when given, else true exactly
// when `host` is a loopback address (127.0.0.0/8, ::1) or "localhost". Pure function.
bool AllowsRemoteCommands(const ServerFlags& flags);

// Resolves flags.config into flags.settings and the fields it sets (host, port, data, threads,
// max_body_mb, log format), then prints the settings (--print-config, exit code 0) or runs the
// server. Returns 2 naming the key and its source for a bad setting, else as RunServer.
int ConfigureAndRunServer(ServerFlags& flags);

// Prints "Kiln server listening on http://HOST:PORT" to stdout once ready, and a warning when
// HOST is not a loopback address. Returns the exit code: 0 after a clean stop, 2 for a bad
// allowed origin, 1 when the store cannot open or the port cannot be bound.
int RunServer(const ServerFlags& flags);

}  // namespace kiln::cli
