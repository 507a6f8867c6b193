#include "cli/api_caller.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>

#include "api/app.h"
#include "artifacts/artifact_store.h"
#include "artifacts/sha256.h"
#include "cli/chunked_upload.h"
#include "cli/config_flags.h"
#include "cli/http_answer.h"
#include "cli/upload_progress.h"
#include "http/client.h"

namespace kiln::cli {

using nlohmann::json;

std::string UrlEncode(const std::string& text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

namespace {

// Files up to this size go in one PUT.
constexpr int64_t kChunkedAbove = int64_t{8} << 20;

std::string Target(const std::string& path,
                   const std::vector<std::pair<std::string, std::string>>& query) {
  std::string target = path;
  for (size_t i = 0; i < query.size(); ++i) {
    target += (i ? "&" : "?") + UrlEncode(query[i].first) + "=" + UrlEncode(query[i].second);
  }
  return target;
}

// A streamed body read to its end, as a client of the server would receive it.
http::Response Drained(http::Response response) {
  if (!response.stream) return response;
  const std::shared_ptr<http::EventStream> producer = std::move(response.stream->producer);
  response.stream.reset();
  while (std::optional<std::string> chunk = producer->Next(std::chrono::milliseconds(1000))) {
    response.body += *chunk;
  }
  return response;
}

class LocalCaller : public ApiCaller {
 public:
  explicit LocalCaller(std::unique_ptr<api::App> app) : app_(std::move(app)) {}
  Result<json> Get(const std::string& path,
                   const std::vector<std::pair<std::string, std::string>>& query) override {
    http::Request request;
    request.method = "GET";
    request.path = path;
    request.target = Target(path, query);
    for (const auto& [key, value] : query) request.query.emplace(key, value);
    return JsonAnswer(Drained(app_->Handle(request)));
  }
  Result<json> Post(const std::string& path, const json& body) override {
    http::Request request;
    request.method = "POST";
    request.path = path;
    request.target = path;
    request.headers["content-type"] = "application/json";
    request.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    return JsonAnswer(app_->Handle(request));
  }
  Status UploadBlob(const std::string& digest, const std::string& file_path) override {
    KILN_ASSIGN_OR_RETURN(std::string stored, app_->artifacts().PutBlobFile(file_path));
    if (stored != digest) {
      return InvalidArgument("'" + file_path + "' changed while it was being added");
    }
    return Status::Ok();
  }
  Status DownloadBlob(const std::string& digest, const std::string& dest_path) override {
    KILN_ASSIGN_OR_RETURN(std::string blob, app_->artifacts().LocateBlob(digest));
    std::error_code ec;
    std::filesystem::copy_file(blob, dest_path, std::filesystem::copy_options::overwrite_existing,
                               ec);
    if (ec) return Internal("cannot write '" + dest_path + "': " + ec.message());
    std::filesystem::permissions(dest_path, std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::add, ec);
    return Status::Ok();
  }

 private:
  std::unique_ptr<api::App> app_;
};

class RemoteCaller : public ApiCaller {
 public:
  explicit RemoteCaller(const std::string& url) : client_(url) {}
  Result<json> Get(const std::string& path,
                   const std::vector<std::pair<std::string, std::string>>& query) override {
    KILN_ASSIGN_OR_RETURN(http::Response response, client_.Send("GET", Target(path, query)));
    return JsonAnswer(response);
  }
  Result<json> Post(const std::string& path, const json& body) override {
    KILN_ASSIGN_OR_RETURN(
        http::Response response,
        client_.Send("POST", path, body.dump(-1, ' ', false, json::error_handler_t::replace)));
    return JsonAnswer(response);
  }
  Status UploadBlob(const std::string& digest, const std::string& file_path) override;
  Status DownloadBlob(const std::string& digest, const std::string& dest_path) override;

 private:
  // Writes blob `digest` to `path`, checking its SHA-256 on the way.
  Status FetchBlobTo(const std::string& digest, const std::string& path);

  http::Client client_;
};

// Small files go in one PUT; larger ones, or any the server refuses as too large (413), in
// resumable chunks.
Status RemoteCaller::UploadBlob(const std::string& digest, const std::string& file_path) {
  std::error_code ec;
  const auto size = static_cast<int64_t>(std::filesystem::file_size(file_path, ec));
  if (ec) return NotFound("cannot read '" + file_path + "': " + ec.message());
  if (size <= kChunkedAbove) {
    std::ifstream in(file_path, std::ios::binary);
    if (!in) return NotFound("cannot read '" + file_path + "'");
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    KILN_ASSIGN_OR_RETURN(http::Response response, client_.Send("PUT", "/api/v1/blobs/" + digest,
                                                                bytes, "application/octet-stream"));
    if (response.status != 413) return JsonAnswer(response).status();
  }
  SendFn send = [this](const std::string& method, const std::string& target,
                       const std::string& body) {
    return client_.Send(method, target, body, "application/octet-stream");
  };
  UploadProgress progress(::isatty(STDERR_FILENO) ? stderr : nullptr, size);
  return UploadInChunks(send, digest, file_path, ChunkedUploadOptions{},
                        [&progress](int64_t sent, int64_t total) { progress.Show(sent, total); });
}

// Streams into a temporary file beside `dest_path`, hashing on the way; renamed over it only
// when the bytes match, so a damaged download never takes the destination's name.
Status RemoteCaller::DownloadBlob(const std::string& digest, const std::string& dest_path) {
  const std::string part = dest_path + ".kiln-part";
  Status status = FetchBlobTo(digest, part);
  std::error_code ec;
  if (status.ok()) std::filesystem::rename(part, dest_path, ec);
  if (ec) status = Internal("cannot write '" + dest_path + "': " + ec.message());
  if (!status.ok()) std::filesystem::remove(part, ec);
  return status;
}

Status RemoteCaller::FetchBlobTo(const std::string& digest, const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Internal("cannot write '" + path + "'");
  artifacts::Sha256 hasher;
  KILN_ASSIGN_OR_RETURN(
      http::Response response,
      client_.Fetch("/api/v1/blobs/" + digest, [&](std::string_view piece) -> Status {
        hasher.Update(piece);
        out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
        return out ? Status::Ok() : Internal("cannot write '" + path + "'");
      }));
  if (response.status != 200) return JsonAnswer(response).status();
  out.close();
  if (!out) return Internal("cannot write '" + path + "'");
  if (hasher.HexDigest() != digest) {
    return Internal("blob " + digest + " arrived damaged (its SHA-256 differs)");
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<ApiCaller>> MakeApiCaller(const std::string& server,
                                                 const config::Config& settings, bool create) {
  if (!server.empty()) return std::unique_ptr<ApiCaller>(new RemoteCaller(server));
  const std::string& data_dir = settings.Get("data");
  const bool default_store = settings.SourceOf("store") == "default";
  if (!create && default_store && !std::filesystem::exists(data_dir + "/kiln.db")) {
    return InvalidArgument("no Kiln data in '" + data_dir + "' (start `kiln server --data " +
                           data_dir + "` first, or pass --data DIR or --server URL)");
  }
  api::AppOptions options;
  ApplySeams(settings, options);
  KILN_ASSIGN_OR_RETURN(std::unique_ptr<api::App> app, api::App::Open(data_dir, options));
  return std::unique_ptr<ApiCaller>(new LocalCaller(std::move(app)));
}

}  // namespace kiln::cli
