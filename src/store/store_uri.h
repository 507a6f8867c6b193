// Opening the metadata store a URI names. Schemes: sqlite (sqlite:///relative.db,
// sqlite:////absolute/kiln.db, as SQLAlchemy and MLflow spell them). The next store is one
// registration in store_uri.cc.
#pragma once

#include <memory>
#include <string>

#include "store/meta_store.h"

namespace kiln::store {

// OK when `uri` names a known scheme with a well-formed location. Errors: kInvalidArgument
// naming the scheme (and the known ones) or what is wrong with the location. Thread-safe.
Status CheckMetaStoreUri(const std::string& uri);

// Opens (creating if needed) the store `uri` names and applies all migrations. Errors: as
// CheckMetaStoreUri, then as the implementation's opener (kInternal when it cannot open).
Result<std::unique_ptr<MetaStore>> OpenMetaStore(const std::string& uri);

// "sqlite:///" URI of the SQLite file at `path` (absolute paths give four slashes).
std::string SqliteUri(const std::string& path);

}  // namespace kiln::store
