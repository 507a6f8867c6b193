// ApiCaller: how CLI commands reach the native API: in-process against a local data folder,
// or over HTTP against a running server. Both speak the same /api/v1 routes.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "config/settings.h"

namespace kiln::cli {

class ApiCaller {
 public:
  virtual ~ApiCaller() = default;
  // GETs `path` with `query` (encoded here) and returns the JSON body. A 4xx answer becomes
  // kNotFound (404), kAlreadyExists (error_code RESOURCE_ALREADY_EXISTS) or kInvalidArgument
  // with the server's message; 5xx or transport failures kInternal or kUnavailable.
  virtual Result<nlohmann::json> Get(
      const std::string& path, const std::vector<std::pair<std::string, std::string>>& query) = 0;
  // POSTs `body` as JSON to `path` and returns the JSON answer. Errors as Get, and kAlreadyExists
  // for a 4xx whose error_code is RESOURCE_ALREADY_EXISTS.
  virtual Result<nlohmann::json> Post(const std::string& path, const nlohmann::json& body) = 0;
  // Stores file `file_path`, whose SHA-256 is `digest`, as a blob. In-process it is copied
  // without being loaded whole; over HTTP a file up to 8 MiB is one PUT /api/v1/blobs/{digest},
  // a larger one (or one the server refuses as too large) goes in resumable chunks read from
  // the file one at a time, with progress on a terminal over 64 MiB. Errors as Post;
  // kNotFound for a missing file; kUnavailable when the server stays unreachable.
  virtual Status UploadBlob(const std::string& digest, const std::string& file_path) = 0;
  // Writes blob `digest` to file `dest_path` (replaced) and checks its SHA-256, streaming it
  // (never whole in memory). Nothing is left at `dest_path` on failure. Errors as Get;
  // kInternal when the bytes do not match or the file cannot be written.
  virtual Status DownloadBlob(const std::string& digest, const std::string& dest_path) = 0;
};

// `server` empty: open the data folder and seams `settings` names in-process (a data folder
// without kiln.db is created only when `create` or when the settings name another store;
// otherwise it is kInvalidArgument). Otherwise talk to the server URL.
Result<std::unique_ptr<ApiCaller>> MakeApiCaller(const std::string& server,
                                                 const config::Config& settings,
                                                 bool create = false);

// Percent-encodes a query component.
std::string UrlEncode(const std::string& text);

}  // namespace kiln::cli
