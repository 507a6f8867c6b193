#include "cli/package_fetch.h"

#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <utility>

#include "artifacts/blob_tree.h"
#include "common/ids.h"
#include "ml/file_io.h"
#include "registry/package_source.h"
#include "serving/model_ref.h"

namespace kiln::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The registry's record of the version `ref` names.
Result<json> VersionOf(ApiCaller& api, const serving::ModelRef& ref) {
  if (ref.follows_alias()) {
    return api.Get("/api/2.0/mlflow/registered-models/alias",
                   {{"name", ref.name}, {"alias", ref.alias}});
  }
  return api.Get("/api/2.0/mlflow/model-versions/get",
                 {{"name", ref.name}, {"version", std::to_string(ref.version)}});
}

// Downloads package `digest` (a stored folder) into `dir`/package.
Status Download(ApiCaller& api, const std::string& digest, const fs::path& dir) {
  KILN_RETURN_IF_ERROR(api.DownloadBlob(digest, (dir / "manifest").string()));
  KILN_ASSIGN_OR_RETURN(ml::FileBytes manifest, ml::ReadFileBytes((dir / "manifest").string()));
  KILN_ASSIGN_OR_RETURN(std::vector<artifacts::TreeEntry> entries,
                        artifacts::ParseTreeManifest(std::string(manifest.view())));
  fs::create_directories(dir / "package");
  for (const artifacts::TreeEntry& e : entries) {
    if (e.path.find('/') != std::string::npos) continue;  // packages are flat
    KILN_RETURN_IF_ERROR(api.DownloadBlob(e.digest, (dir / "package" / e.path).string()));
  }
  return Status::Ok();
}

}  // namespace

FetchedPackage::FetchedPackage(FetchedPackage&& other) noexcept
    : root_(std::exchange(other.root_, "")),
      name_(std::move(other.name_)),
      version_(other.version_) {}

FetchedPackage::~FetchedPackage() {
  if (root_.empty()) return;
  std::error_code ec;
  fs::remove_all(root_, ec);
}

Result<FetchedPackage> FetchModelPackage(ApiCaller& api, const std::string& text) {
  KILN_ASSIGN_OR_RETURN(serving::ModelRef ref, serving::ParseModelRef(text, "model"));
  KILN_ASSIGN_OR_RETURN(json answer, VersionOf(api, ref));
  const json& version = answer["model_version"];
  // The digest names the temporary folder and the blobs fetched: checked before either.
  Result<std::string> digest_or = registry::PackageDigest(version.value("source", ""));
  if (!digest_or.ok()) return InvalidArgument(text + ": " + digest_or.status().message());
  const std::string digest = *digest_or;
  const fs::path root = fs::temp_directory_path() /
                        ("kiln-package-" + digest.substr(0, 16) + "-" + NewHexId().substr(0, 8));
  fs::create_directories(root);
  FetchedPackage fetched(root.string(), ref.name,
                         std::stoll(version.value("version", std::string("0"))));
  KILN_RETURN_IF_ERROR(Download(api, digest, root));
  return fetched;
}

}  // namespace kiln::cli
