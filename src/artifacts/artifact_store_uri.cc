#include "artifacts/artifact_store_uri.h"

#include "common/percent.h"
#include "common/scheme_registry.h"

namespace kiln::artifacts {
namespace {

// "file://" + [localhost] + "/absolute/path".
Result<std::string> FilePath(const std::string& rest) {
  std::string path = rest;
  if (path.rfind("localhost/", 0) == 0) path = path.substr(9);
  if (path.size() < 2 || path.front() != '/') {
    return InvalidArgument("a file URI is file:///ABSOLUTE/FOLDER, got 'file://" + rest + "'");
  }
  std::optional<std::string> decoded = PercentDecode(path, false);
  if (!decoded || decoded->find('\0') != std::string::npos) {
    return InvalidArgument("a malformed escape in 'file://" + rest + "'");
  }
  return *decoded;
}

const SchemeRegistry<std::unique_ptr<ArtifactStore>>& Registry() {
  static const SchemeRegistry<std::unique_ptr<ArtifactStore>> registry = [] {
    SchemeRegistry<std::unique_ptr<ArtifactStore>> r("artifact store");
    r.Add(
        "file", [](const std::string& rest) { return FilePath(rest).status(); },
        [](const std::string& rest) -> Result<std::unique_ptr<ArtifactStore>> {
          KILN_ASSIGN_OR_RETURN(std::string folder, FilePath(rest));
          return OpenLocalArtifactStore(folder);
        });
    return r;
  }();
  return registry;
}

}  // namespace

Status CheckArtifactStoreUri(const std::string& uri) { return Registry().Check(uri); }

Result<std::unique_ptr<ArtifactStore>> OpenArtifactStore(const std::string& uri) {
  return Registry().Open(uri);
}

std::optional<std::string> LocalFolderOf(const std::string& uri) {
  Result<std::pair<std::string, std::string>> parts = SplitUri(uri);
  if (!parts.ok() || parts->first != "file") return std::nullopt;
  Result<std::string> folder = FilePath(parts->second);
  if (!folder.ok()) return std::nullopt;
  return *folder;
}

std::string FileUri(const std::string& path) { return "file://" + path; }

}  // namespace kiln::artifacts
