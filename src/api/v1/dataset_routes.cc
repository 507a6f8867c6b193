#include "api/v1/dataset_routes.h"

#include <cstdint>
#include <string>
#include <vector>

#include "api/error_mapping.h"
#include "artifacts/blob_tree.h"
#include "artifacts/sha256.h"
#include "datasets/dataset_ref.h"

namespace kiln::api::v1 {
namespace {

using nlohmann::json;

constexpr size_t kMaxDigestsPerQuery = 100000;

json RenderVersion(const datasets::DatasetVersion& v) {
  return {{"name", v.name},
          {"version", v.version},
          {"digest", v.digest},
          {"kind", v.is_tree ? "folder" : "file"},
          {"size_bytes", v.size_bytes},
          {"file_count", v.file_count},
          {"source", v.source},
          {"created_ms", v.created_ms}};
}

json RenderFiles(const std::vector<artifacts::TreeEntry>& entries) {
  json files = json::array();
  for (const artifacts::TreeEntry& e : entries) {
    files.push_back(
        {{"path", e.path}, {"digest", e.digest}, {"size", e.size}, {"executable", e.executable}});
  }
  return files;
}

Result<std::vector<artifacts::TreeEntry>> ParseFiles(const RequestArgs& args) {
  KILN_ASSIGN_OR_RETURN(std::vector<RequestArgs> items, args.ObjectList("files"));
  if (items.empty()) return InvalidArgument("files must list at least one file");
  std::vector<artifacts::TreeEntry> entries;
  for (const RequestArgs& item : items) {
    artifacts::TreeEntry entry;
    KILN_ASSIGN_OR_RETURN(entry.path, item.RequiredString("path"));
    KILN_ASSIGN_OR_RETURN(entry.digest, item.RequiredString("digest"));
    KILN_ASSIGN_OR_RETURN(entry.size, item.RequiredInt("size"));
    KILN_ASSIGN_OR_RETURN(entry.executable, item.OptionalBool("executable", false));
    entries.push_back(std::move(entry));
  }
  return entries;
}

Result<json> AddVersion(Services& s, const RequestArgs& args) {
  datasets::NewVersion request;
  KILN_ASSIGN_OR_RETURN(request.name, args.RequiredString("name"));
  KILN_ASSIGN_OR_RETURN(request.source, args.OptionalString("source"));
  KILN_ASSIGN_OR_RETURN(request.description, args.OptionalString("description"));
  if (args.Has("digest") == args.Has("files")) {
    return InvalidArgument("give exactly one of 'digest' (one file) and 'files' (a folder)");
  }
  if (args.Has("digest")) {
    KILN_ASSIGN_OR_RETURN(request.digest, args.RequiredString("digest"));
  } else {
    KILN_RETURN_IF_ERROR(datasets::ValidateDatasetName(request.name));
    KILN_ASSIGN_OR_RETURN(std::vector<artifacts::TreeEntry> entries, ParseFiles(args));
    KILN_ASSIGN_OR_RETURN(request.digest,
                          artifacts::PutTreeOfBlobs(s.artifacts, std::move(entries)));
    request.is_tree = true;
  }
  KILN_ASSIGN_OR_RETURN(datasets::AddedVersion added, s.datasets.AddVersion(request));
  return json{{"version", RenderVersion(added.version)}, {"created", added.created}};
}

Result<json> ListDatasets(Services& s) {
  KILN_ASSIGN_OR_RETURN(std::vector<datasets::Dataset> all, s.datasets.List());
  json out = json::array();
  for (const datasets::Dataset& d : all) {
    out.push_back({{"name", d.name},
                   {"description", d.description},
                   {"latest_version", d.latest_version},
                   {"created_ms", d.created_ms},
                   {"updated_ms", d.updated_ms},
                   {"latest_size_bytes", d.latest_size_bytes}});
  }
  return json{{"datasets", out}};
}

Result<json> ListVersions(Services& s, const RequestArgs& args) {
  KILN_ASSIGN_OR_RETURN(std::string name, args.RequiredString("name"));
  KILN_ASSIGN_OR_RETURN(std::vector<datasets::DatasetVersion> versions, s.datasets.Versions(name));
  json out = json::array();
  for (const datasets::DatasetVersion& v : versions) out.push_back(RenderVersion(v));
  return json{{"versions", out}};
}

Result<json> GetVersion(Services& s, const RequestArgs& args) {
  KILN_ASSIGN_OR_RETURN(std::string name, args.RequiredString("name"));
  KILN_ASSIGN_OR_RETURN(std::string version, args.RequiredString("version"));
  KILN_ASSIGN_OR_RETURN(datasets::DatasetRef ref, datasets::ParseDatasetRef(name + "@" + version));
  KILN_ASSIGN_OR_RETURN(datasets::DatasetVersion found, s.datasets.Get(ref));
  json out = RenderVersion(found);
  if (found.is_tree) {
    KILN_ASSIGN_OR_RETURN(auto entries, artifacts::ReadTree(s.artifacts, found.digest));
    out["files"] = RenderFiles(entries);
  }
  return json{{"version", out}};
}

Result<json> MissingBlobs(Services& s, const RequestArgs& args) {
  KILN_ASSIGN_OR_RETURN(std::vector<std::string> digests, args.StringList("digests"));
  if (digests.size() > kMaxDigestsPerQuery) {
    return InvalidArgument("digests lists more than " + std::to_string(kMaxDigestsPerQuery));
  }
  json missing = json::array();
  for (const std::string& digest : digests) {
    Result<std::string> found = s.artifacts.LocateBlob(digest);
    if (found.ok()) continue;
    if (found.status().code() != StatusCode::kNotFound) {
      return InvalidArgument("digests: '" + digest + "' is not a SHA-256 hex digest");
    }
    missing.push_back(digest);
  }
  return json{{"missing", missing}};
}

http::Response PutBlob(Services& s, http::Request& request) {
  const std::string& digest = request.path_params["digest"];
  if (artifacts::Sha256Hex(request.body) != digest) {
    return ErrorResponse(InvalidArgument("the body's SHA-256 is " +
                                         artifacts::Sha256Hex(request.body) + ", not " + digest));
  }
  Result<std::string> stored = s.artifacts.PutBlob(request.body);
  if (!stored.ok()) return ErrorResponse(stored.status());
  http::Response response;
  response.content_type = "application/json";
  response.body = json{{"digest", *stored}, {"size", request.body.size()}}.dump();
  return response;
}

http::Response GetBlob(Services& s, http::Request& request) {
  Result<std::string> path = s.artifacts.LocateBlob(request.path_params["digest"]);
  if (!path.ok()) return ErrorResponse(path.status());
  http::Response response;
  response.content_type = "application/octet-stream";
  response.file_path = *path;
  return response;
}

// The files of a stored folder (a dataset version's, or a pipeline step output's).
Result<json> ListTree(Services& s, const RequestArgs& args) {
  KILN_ASSIGN_OR_RETURN(std::string digest, args.RequiredString("digest"));
  KILN_ASSIGN_OR_RETURN(std::vector<artifacts::TreeEntry> entries,
                        artifacts::ReadTree(s.artifacts, digest));
  return json{{"digest", digest}, {"files", RenderFiles(entries)}};
}

}  // namespace

void AddDatasetRoutes(http::Router& router, Services& s) {
  router.Add("PUT", "/api/v1/blobs/{digest}", kRunner,
             [&s](http::Request& request) { return PutBlob(s, request); });
  router.Add("GET", "/api/v1/blobs/{digest}", kViewer,
             [&s](http::Request& request) { return GetBlob(s, request); });
  router.Add("GET", "/api/v1/trees/{digest}", kViewer,
             JsonEndpoint([&s](const RequestContext& ctx, const RequestArgs& args) {
               return ListTree(s, args);
             }));
  router.Add("POST", "/api/v1/blobs/missing", kViewer,
             JsonEndpoint([&s](const RequestContext& ctx, const RequestArgs& args) {
               return MissingBlobs(s, args);
             }));
  router.Add("POST", "/api/v1/datasets", kEditor,
             JsonEndpoint([&s](const RequestContext& ctx, const RequestArgs& args) {
               return AddVersion(s, args);
             }));
  router.Add(
      "GET", "/api/v1/datasets", kViewer,
      JsonEndpoint([&s](const RequestContext&, const RequestArgs&) { return ListDatasets(s); }));
  router.Add("GET", "/api/v1/datasets/{name}/versions", kViewer,
             JsonEndpoint([&s](const RequestContext& ctx, const RequestArgs& args) {
               return ListVersions(s, args);
             }));
  router.Add("GET", "/api/v1/datasets/{name}/versions/{version}", kViewer,
             JsonEndpoint([&s](const RequestContext& ctx, const RequestArgs& args) {
               return GetVersion(s, args);
             }));
}

}  // namespace kiln::api::v1
