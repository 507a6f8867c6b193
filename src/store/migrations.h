// Schema migrations shared by every MetaStore implementation.
#pragma once

#include "store/meta_store.h"

namespace kiln::store {

// Brings the schema up to date inside one write transaction, recording applied versions in
// table schema_migrations. Idempotent. Errors: kInternal when a statement fails.
Status ApplyMigrations(MetaStore& store);

}  // namespace kiln::store
