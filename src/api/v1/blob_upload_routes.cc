#include "api/v1/blob_upload_routes.h"

#include <string>

#include "api/error_mapping.h"
#include "artifacts/blob_uploads.h"

namespace kiln::api::v1 {
namespace {

using nlohmann::json;

constexpr size_t kMaxOffsetDigits = 18;  // below 2^63, so no overflow

http::Response JsonOk(const json& body) { return http::Response::Json(200, body.dump()); }

json RenderState(const std::string& digest, const artifacts::UploadState& state) {
  return {{"digest", digest}, {"received", state.received}, {"stored", state.stored}};
}

// 409 Conflict, as tus and the Docker registry answer a chunk at the wrong offset; `received`
// tells the client where to resume.
http::Response OffsetConflict(const std::string& digest, int64_t offset, int64_t received) {
  json body = {{"error_code", "UPLOAD_OFFSET_MISMATCH"},
               {"message", "offset " + std::to_string(offset) + " does not match the " +
                               std::to_string(received) + " bytes staged for blob " + digest +
                               "; resume at offset " + std::to_string(received)},
               {"digest", digest},
               {"received", received}};
  return http::Response::Json(409, body.dump());
}

http::Response GetState(artifacts::BlobUploads& uploads, http::Request& request) {
  const std::string& digest = request.path_params["digest"];
  Result<artifacts::UploadState> state = uploads.State(digest);
  if (!state.ok()) return ErrorResponse(state.status());
  return JsonOk(RenderState(digest, *state));
}

http::Response Append(artifacts::BlobUploads& uploads, http::Request& request) {
  const std::string& digest = request.path_params["digest"];
  Status valid = artifacts::ValidateDigest(digest);
  if (!valid.ok()) return ErrorResponse(valid);
  Result<int64_t> offset = ParseUploadOffset(request.QueryParam("offset"));
  if (!offset.ok()) return ErrorResponse(offset.status());
  Result<artifacts::AppendOutcome> outcome = uploads.Append(digest, *offset, request.body);
  if (!outcome.ok()) return ErrorResponse(outcome.status());
  if (!outcome->accepted) return OffsetConflict(digest, *offset, outcome->state.received);
  return JsonOk(RenderState(digest, outcome->state));
}

http::Response Finish(artifacts::BlobUploads& uploads, http::Request& request) {
  const std::string& digest = request.path_params["digest"];
  Result<int64_t> size = uploads.Finish(digest);
  if (!size.ok()) return ErrorResponse(size.status());
  return JsonOk({{"digest", digest}, {"size", *size}});
}

http::Response Discard(artifacts::BlobUploads& uploads, http::Request& request) {
  Result<bool> discarded = uploads.Discard(request.path_params["digest"]);
  if (!discarded.ok()) return ErrorResponse(discarded.status());
  return JsonOk({{"discarded", *discarded}});
}

}  // namespace

Result<int64_t> ParseUploadOffset(const std::optional<std::string>& text) {
  if (!text) {
    return InvalidArgument(
        "Missing value for required parameter 'offset' (the staged size to "
        "append at; 0 to start)");
  }
  bool digits = !text->empty() && text->size() <= kMaxOffsetDigits;
  for (char c : *text) digits = digits && c >= '0' && c <= '9';
  if (!digits) {
    return InvalidArgument("Invalid value '" + text->substr(0, 40) +
                           "' for parameter 'offset': expected a byte count from 0 to 10^18");
  }
  return std::stoll(*text);
}

void AddBlobUploadRoutes(http::Router& router, Services& s) {
  artifacts::BlobUploads& u = s.uploads;
  const std::string path = "/api/v1/blobs/{digest}/upload";
  router.Add("GET", path, kViewer, [&u](http::Request& r) { return GetState(u, r); });
  router.Add("PATCH", path, kRunner, [&u](http::Request& r) { return Append(u, r); });
  router.Add("DELETE", path, kRunner, [&u](http::Request& r) { return Discard(u, r); });
  router.Add("POST", path + "/finish", kRunner, [&u](http::Request& r) { return Finish(u, r); });
}

}  // namespace kiln::api::v1
