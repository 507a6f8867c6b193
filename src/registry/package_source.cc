#include "registry/package_source.h"

#include "artifacts/artifact_store.h"

namespace kiln::registry {

bool IsPackageSource(std::string_view source) { return source.starts_with(kPackageSourcePrefix); }

Result<std::string> PackageDigest(std::string_view source) {
  const std::string digest =
      IsPackageSource(source) ? std::string(source.substr(kPackageSourcePrefix.size())) : "";
  if (IsPackageSource(source) && artifacts::ValidateDigest(digest).ok()) return digest;
  // The source is not repeated: it may be a path, and messages carry no paths.
  return InvalidArgument(
      "source is not a Kiln model package: a package source is kiln-package: followed by the "
      "package's SHA-256 digest (64 lowercase hex characters)");
}

std::string PackageSource(std::string_view digest) {
  return std::string(kPackageSourcePrefix) + std::string(digest);
}

}  // namespace kiln::registry
