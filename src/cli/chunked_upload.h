// The client side of resumable blob uploads (PATCH /api/v1/blobs/{digest}/upload, see
// docs/api.md): a file too large for one request goes in chunks read from disk one at a time,
// resuming from the size the server has staged after a dropped connection, a busy answer or
// another client's progress on the same blob.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "common/status.h"
#include "http/message.h"

namespace kiln::cli {

// Sends one request and returns the server's answer whatever its status; kUnavailable when
// the connection failed (then the request may or may not have reached the server).
using SendFn = std::function<Result<http::Response>(
    const std::string& method, const std::string& target, const std::string& body)>;

// Told the bytes the server holds so far and the file's size, after each accepted chunk.
using UploadProgressFn = std::function<void(int64_t sent, int64_t total)>;

struct ChunkedUploadOptions {
  size_t chunk_bytes = size_t{8} << 20;  // halved on 413 (a server or proxy body limit)
  size_t min_chunk_bytes = size_t{64} << 10;
  int max_failures = 8;                    // in a row: dropped connections, 503 busy, 409 conflicts
  std::chrono::milliseconds backoff{200};  // times the failures in a row, before retrying
};

// Uploads file `file_path`, whose SHA-256 is `digest`, through `send`: asks what is staged,
// PATCHes the rest chunk by chunk, then finishes. Memory use is one chunk. Returns at once
// when the blob is stored already. Errors: kNotFound (cannot read the file), kInvalidArgument
// with the server's message (e.g. the file no longer matches `digest`), kUnavailable after
// `max_failures` failures in a row, kInternal.
Status UploadInChunks(const SendFn& send, const std::string& digest, const std::string& file_path,
                      const ChunkedUploadOptions& options, const UploadProgressFn& progress);

}  // namespace kiln::cli
