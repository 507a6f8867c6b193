// Opening the artifact store a URI names. Schemes: file (file:///absolute/folder, RFC 8089;
// "localhost" as the host is accepted). The next store (s3) is one registration in
// artifact_store_uri.cc.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "artifacts/artifact_store.h"

namespace kiln::artifacts {

// OK when `uri` names a known scheme with a well-formed location. Errors: kInvalidArgument
// naming the scheme (and the known ones) or what is wrong with the location. Thread-safe.
Status CheckArtifactStoreUri(const std::string& uri);

// Opens (creating if needed) the store `uri` names. Errors: as CheckArtifactStoreUri, then as
// the implementation's opener.
Result<std::unique_ptr<ArtifactStore>> OpenArtifactStore(const std::string& uri);

// The local folder of a file: URI, nullopt for other schemes or a malformed URI.
std::optional<std::string> LocalFolderOf(const std::string& uri);

// "file://" URI of the absolute folder `path`.
std::string FileUri(const std::string& path);

}  // namespace kiln::artifacts
