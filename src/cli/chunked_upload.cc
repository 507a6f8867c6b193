#include "cli/chunked_upload.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/http_answer.h"

namespace kiln::cli {
namespace {

using nlohmann::json;

struct ServerState {
  int64_t received = 0;
  bool stored = false;
};

ServerState StateFrom(const json& body) {
  return {body.value("received", int64_t{0}), body.value("stored", false)};
}

// One upload's progress through the file; the server's answers move `offset`.
class ChunkedUpload {
 public:
  ChunkedUpload(const SendFn& send, std::string digest, std::string file_path,
                const ChunkedUploadOptions& options, const UploadProgressFn& progress)
      : send_(send),
        digest_(std::move(digest)),
        file_path_(std::move(file_path)),
        options_(options),
        progress_(progress),
        chunk_bytes_(options.chunk_bytes) {}

  Status Run();

 private:
  std::string Target(const std::string& suffix) const {
    return "/api/v1/blobs/" + digest_ + "/upload" + suffix;
  }
  Status OpenFile();
  Result<ServerState> QueryState();
  Status SendNextChunk();
  Status Finish();
  // Counts a failure and waits before the retry; kUnavailable once there were too many.
  Status Failed(const Status& why);
  Status Resync();
  Result<std::string> ReadChunk();
  void Report() const {
    if (progress_) progress_(std::min(offset_, size_), size_);
  }

  const SendFn& send_;
  const std::string digest_;
  const std::string file_path_;
  const ChunkedUploadOptions& options_;
  const UploadProgressFn& progress_;
  size_t chunk_bytes_;
  std::ifstream in_;
  int64_t size_ = 0;
  int64_t offset_ = 0;
  bool stored_ = false;
  int failures_ = 0;
};

Status ChunkedUpload::Run() {
  KILN_RETURN_IF_ERROR(OpenFile());
  KILN_RETURN_IF_ERROR(Resync());
  while (!stored_ && offset_ < size_) KILN_RETURN_IF_ERROR(SendNextChunk());
  if (!stored_) KILN_RETURN_IF_ERROR(Finish());
  offset_ = size_;
  Report();
  return Status::Ok();
}

Status ChunkedUpload::OpenFile() {
  in_.open(file_path_, std::ios::binary | std::ios::ate);
  if (!in_) return NotFound("cannot read '" + file_path_ + "'");
  size_ = static_cast<int64_t>(in_.tellg());
  return Status::Ok();
}

Result<ServerState> ChunkedUpload::QueryState() {
  KILN_ASSIGN_OR_RETURN(http::Response response, send_("GET", Target(""), ""));
  KILN_ASSIGN_OR_RETURN(json body, JsonAnswer(response));
  return StateFrom(body);
}

// Asks the server where to go on, retrying while it cannot be reached. A staged upload
// longer than the file is not ours to finish: it is discarded and started again.
Status ChunkedUpload::Resync() {
  while (true) {
    Result<ServerState> state = QueryState();
    if (!state.ok() && state.status().code() == StatusCode::kUnavailable) {
      KILN_RETURN_IF_ERROR(Failed(state.status()));
      continue;
    }
    if (!state.ok()) return state.status();
    stored_ = state->stored;
    offset_ = state->received;
    if (stored_ || offset_ <= size_) return Status::Ok();
    KILN_ASSIGN_OR_RETURN(http::Response dropped, send_("DELETE", Target(""), ""));
    KILN_RETURN_IF_ERROR(JsonAnswer(dropped).status());
  }
}

Status ChunkedUpload::Failed(const Status& why) {
  if (++failures_ > options_.max_failures) {
    return Unavailable("uploading '" + file_path_ + "' failed " + std::to_string(failures_) +
                       " times in a row; last: " + why.message());
  }
  std::this_thread::sleep_for(options_.backoff * failures_);
  return Status::Ok();
}

Result<std::string> ChunkedUpload::ReadChunk() {
  const auto length =
      static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(chunk_bytes_), size_ - offset_));
  std::string chunk(length, '\0');
  in_.clear();
  in_.seekg(offset_);
  in_.read(chunk.data(), static_cast<std::streamsize>(length));
  if (in_.gcount() != static_cast<std::streamsize>(length)) {
    return InvalidArgument("'" + file_path_ + "' changed while it was being added");
  }
  return chunk;
}

Status ChunkedUpload::SendNextChunk() {
  KILN_ASSIGN_OR_RETURN(std::string chunk, ReadChunk());
  Result<http::Response> sent = send_("PATCH", Target("?offset=" + std::to_string(offset_)), chunk);
  if (!sent.ok() && sent.status().code() == StatusCode::kUnavailable) {
    KILN_RETURN_IF_ERROR(Failed(sent.status()));
    return Resync();
  }
  if (!sent.ok()) return sent.status();
  const int status = sent->status;
  if (status == 413 && chunk_bytes_ / 2 >= options_.min_chunk_bytes) {
    chunk_bytes_ /= 2;  // a body limit below our chunk size: not a failure
    return Status::Ok();
  }
  if (status == 409 || status == 503) {
    KILN_RETURN_IF_ERROR(Failed(Unavailable("HTTP " + std::to_string(status))));
    return Resync();
  }
  KILN_ASSIGN_OR_RETURN(json body, JsonAnswer(*sent));
  ServerState state = StateFrom(body);
  stored_ = state.stored;
  offset_ = state.received;
  failures_ = 0;
  Report();
  return Status::Ok();
}

// A finish whose answer was lost may have stored the blob; finishing again then says so.
Status ChunkedUpload::Finish() {
  while (true) {
    Result<http::Response> sent = send_("POST", Target("/finish"), "");
    if (sent.ok() && sent->status != 503) return JsonAnswer(*sent).status();
    if (!sent.ok() && sent.status().code() != StatusCode::kUnavailable) return sent.status();
    KILN_RETURN_IF_ERROR(
        Failed(sent.ok() ? Unavailable("the server is busy (HTTP 503)") : sent.status()));
  }
}

}  // namespace

Status UploadInChunks(const SendFn& send, const std::string& digest, const std::string& file_path,
                      const ChunkedUploadOptions& options, const UploadProgressFn& progress) {
  return ChunkedUpload(send, digest, file_path, options, progress).Run();
}

}  // namespace kiln::cli
