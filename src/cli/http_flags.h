// The flags `kiln server` and `kiln serve` share for what their HTTP server lets in: which
// Host names and browser origins it answers, and how many connections it keeps open.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "http/server.h"

namespace CLI {
class App;
}  // namespace CLI

namespace kiln::cli {

struct HttpFlags {
  std::vector<std::string> allowed_hosts;         // --allowed-hosts (repeatable, comma lists)
  std::vector<std::string> cors_allowed_origins;  // --cors-allowed-origins (likewise)
  size_t max_connections = 0;                     // 0 = from the open-file limit
  size_t max_connections_per_client = 256;
};

// Adds --allowed-hosts, --cors-allowed-origins, --max-connections and
// --max-connections-per-client to `command`; `flags` must outlive parsing.
void AddHttpFlags(CLI::App& command, HttpFlags& flags);

// Copies `flags` into `options`.
void ApplyHttpFlags(const HttpFlags& flags, http::ServerOptions& options);

// Logs a warning when `host` is not a loopback address: there is no authentication yet, so
// anyone who can reach the address can do what `risks` says ("read and change ...").
void WarnIfExposed(const std::string& host, const std::string& risks);

}  // namespace kiln::cli
