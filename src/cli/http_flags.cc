#include "cli/http_flags.h"

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>

#include "http/host_policy.h"

namespace kiln::cli {

void AddHttpFlags(CLI::App& command, HttpFlags& flags) {
  command
      .add_option("--allowed-hosts", flags.allowed_hosts,
                  "Host names to answer besides the loopback names and the --host address "
                  "(against DNS rebinding); wildcards like *.example.com, or * for any")
      ->delimiter(',');
  command
      .add_option("--cors-allowed-origins", flags.cors_allowed_origins,
                  "Origins (https://app.example.com) whose web pages may call this server; "
                  "others cannot send it changes from a browser")
      ->delimiter(',');
  command
      .add_option("--max-connections", flags.max_connections,
                  "Open connections at most; 0 = from the open-file limit")
      ->capture_default_str();
  command
      .add_option("--max-connections-per-client", flags.max_connections_per_client,
                  "Open connections at most from one client address")
      ->check(CLI::Range(size_t{1}, size_t{1} << 20))
      ->capture_default_str();
}

void ApplyHttpFlags(const HttpFlags& flags, http::ServerOptions& options) {
  options.allowed_hosts = flags.allowed_hosts;
  options.cors_allowed_origins = flags.cors_allowed_origins;
  options.max_connections = flags.max_connections;
  options.max_connections_per_client = flags.max_connections_per_client;
}

void WarnIfExposed(const std::string& host, const std::string& risks) {
  std::string_view address = host;
  if (address.size() > 2 && address.front() == '[' && address.back() == ']') {
    address = address.substr(1, address.size() - 2);
  }
  if (http::IsLoopbackName(address)) return;
  spdlog::warn(
      "listening on {}, which is not a loopback address, without authentication (Kiln has none "
      "yet): anyone who can reach this address can {}. Keep it behind a firewall or an "
      "authenticating proxy, or listen on 127.0.0.1.",
      host, risks);
}

}  // namespace kiln::cli
