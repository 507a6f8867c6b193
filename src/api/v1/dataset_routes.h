// Versioned datasets and the content-addressed blobs behind them (documented in docs/api.md):
//   PUT  /api/v1/blobs/{digest}                     raw body; stored when its SHA-256 matches
//   GET  /api/v1/blobs/{digest}                     the blob's bytes
//   POST /api/v1/blobs/missing {"digests": [...]}   which of them are not stored yet
//   POST /api/v1/datasets {"name", "digest" | "files", "source", "description"}
//   GET  /api/v1/datasets
//   GET  /api/v1/datasets/{name}/versions
//   GET  /api/v1/datasets/{name}/versions/{version}  (a number or "latest"; lists a folder's files)
#pragma once

#include "api/endpoint.h"

namespace kiln::api::v1 {

void AddDatasetRoutes(http::Router& router, Services& services);

}  // namespace kiln::api::v1
