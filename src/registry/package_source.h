// Model version sources that name a Kiln model package: "kiln-package:<digest>", where the
// digest is the SHA-256 (64 lowercase hex characters) of the package folder's tree manifest in
// Kiln's own blob store. Nothing else is a package source: never a path, so a version can only
// ever load what was stored in the blob store.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace kiln::registry {

inline constexpr std::string_view kPackageSourcePrefix = "kiln-package:";

// True when `source` starts with "kiln-package:" (well-formed or not). Pure function.
bool IsPackageSource(std::string_view source);

// The digest of a "kiln-package:<digest>" source, checked before anything uses it.
// Errors: kInvalidArgument when `source` is not of that form; the message does not repeat the
// source (it may be a path).
Result<std::string> PackageDigest(std::string_view source);

// "kiln-package:<digest>" for a digest (not checked). Pure function.
std::string PackageSource(std::string_view digest);

}  // namespace kiln::registry
