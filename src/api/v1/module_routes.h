// The module library routes of the native API (documented in docs/api.md):
//   POST /api/v1/modules                      publish {"manifest", "files": [{path,
//                                              content_base64, executable}]}
//   GET  /api/v1/modules                      {"modules": [{name, latest_version, versions,
//                                              description}]}
//   GET  /api/v1/modules/{name...}?version=   {"module": {...}} (latest when no version)
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "api/endpoint.h"
#include "pipeline/module_manifest.h"
#include "pipeline/published_modules.h"

namespace kiln::api::v1 {

// Registers the routes above over services.modules.
void AddModuleRoutes(http::Router& router, Services& services);

// A manifest as JSON, precise enough to draw a form: name, version, description, params (name,
// type, items, default, min, max, values, required, help), inputs and outputs (name, type,
// description), runner (kind "command" or "builtin", command or builtin, env), files_digest and,
// when set, source_dir. Pure function.
nlohmann::json RenderModuleManifest(const pipeline::ModuleManifest& manifest);

// RenderModuleManifest plus files [{path, size, digest, executable}], created_ms, versions and
// manifest_yaml (the published text). Pure function.
nlohmann::json RenderPublishedModule(const pipeline::PublishedModule& module);

}  // namespace kiln::api::v1
