// Resumable uploads of one blob in pieces, for blobs over the server's body limit (documented
// in docs/api.md; the domain is artifacts::BlobUploads):
//   GET    /api/v1/blobs/{digest}/upload               {"digest", "received", "stored"}
//   PATCH  /api/v1/blobs/{digest}/upload?offset=N      raw body appended when N bytes are staged;
//                                                      409 with "received" otherwise
//   POST   /api/v1/blobs/{digest}/upload/finish        {"digest", "size"} once the SHA-256 matches
//   DELETE /api/v1/blobs/{digest}/upload               {"discarded": bool}
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "api/endpoint.h"

namespace kiln::api::v1 {

void AddBlobUploadRoutes(http::Router& router, Services& services);

// The `offset` query value: a decimal integer from 0 to 10^18. Errors: kInvalidArgument
// naming `offset` (missing, signed, not a number, too large).
Result<int64_t> ParseUploadOffset(const std::optional<std::string>& text);

}  // namespace kiln::api::v1
