#include "api/v1/module_routes.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

#include "common/base64.h"
#include "pipeline/folder_module_files.h"
#include "pipeline/module_catalog.h"
#include "pipeline/param_json.h"

namespace kiln::api::v1 {

using nlohmann::json;
using pipeline::ParamType;

namespace {

// A module's files travel base64-encoded in the body; 16 MiB leaves room for small data files.
constexpr size_t kMaxModuleBodyBytes = size_t{16} << 20;

// Bounds of int params (and int lists) read 1, not 1.0.
json RenderBound(const pipeline::ParamSpec& p, double bound) {
  const bool is_int =
      p.type == ParamType::kInt || (p.type == ParamType::kList && p.item_type == ParamType::kInt);
  if (is_int && std::floor(bound) == bound && std::fabs(bound) < 9e15) {
    return static_cast<int64_t>(bound);
  }
  return bound;
}

json RenderParam(const pipeline::ParamSpec& p) {
  json out = {{"name", p.name},
              {"type", pipeline::ParamTypeName(p.type)},
              {"required", p.required},
              {"help", p.help}};
  if (p.type == ParamType::kList) out["items"] = pipeline::ParamTypeName(p.item_type);
  if (p.default_value) out["default"] = pipeline::ParamValueToJson(*p.default_value);
  if (p.min) out["min"] = RenderBound(p, *p.min);
  if (p.max) out["max"] = RenderBound(p, *p.max);
  if (!p.values.empty()) out["values"] = p.values;
  return out;
}

// Inputs also say whether a step may leave them unbound.
json RenderPorts(const std::vector<pipeline::PortSpec>& ports, bool inputs) {
  json out = json::array();
  for (const pipeline::PortSpec& port : ports) {
    json item = {{"name", port.name},
                 {"type", pipeline::ArtifactTypeName(port.type)},
                 {"description", port.description}};
    if (inputs) item["optional"] = port.optional;
    out.push_back(std::move(item));
  }
  return out;
}

json RenderRunner(const pipeline::RunnerSpec& runner) {
  json out = {{"kind", runner.builtin.empty() ? "command" : "builtin"}, {"env", runner.env}};
  if (runner.builtin.empty()) {
    out["command"] = runner.command;
  } else {
    out["builtin"] = runner.builtin;
  }
  return out;
}

Result<pipeline::ModuleFile> ParseFile(const RequestArgs& item, size_t index) {
  pipeline::ModuleFile file;
  KILN_ASSIGN_OR_RETURN(file.path, item.RequiredString("path"));
  KILN_ASSIGN_OR_RETURN(std::string encoded, item.RequiredString("content_base64"));
  std::optional<std::string> bytes = DecodeBase64(encoded);
  if (!bytes) {
    return InvalidArgument("files[" + std::to_string(index) + "].content_base64 of '" + file.path +
                           "' is not valid base64");
  }
  file.bytes = std::move(*bytes);
  KILN_ASSIGN_OR_RETURN(file.executable, item.OptionalBool("executable", false));
  return file;
}

Result<json> Publish(pipeline::PublishedModules& modules, const exec::PipelineService& pipelines,
                     const RequestContext& ctx, const RequestArgs& args) {
  KILN_ASSIGN_OR_RETURN(std::string manifest, args.RequiredString("manifest"));
  KILN_RETURN_IF_ERROR(pipelines.CheckModulePublish(manifest, ctx.peer));
  KILN_ASSIGN_OR_RETURN(std::vector<RequestArgs> items, args.ObjectList("files"));
  std::vector<pipeline::ModuleFile> files;
  for (size_t i = 0; i < items.size(); ++i) {
    KILN_ASSIGN_OR_RETURN(pipeline::ModuleFile file, ParseFile(items[i], i));
    files.push_back(std::move(file));
  }
  KILN_ASSIGN_OR_RETURN(pipeline::PublishResult result, modules.Publish(manifest, files));
  return json{{"module", RenderPublishedModule(result.module)}, {"created", result.created}};
}

Result<json> List(const pipeline::ModuleCatalog& catalog) {
  KILN_ASSIGN_OR_RETURN(std::vector<pipeline::CatalogSummary> all, catalog.List());
  json out = json::array();
  for (const pipeline::CatalogSummary& entry : all) {
    const pipeline::ModuleSummary& m = entry.summary;
    out.push_back({{"name", m.name},
                   {"latest_version", m.latest_version},
                   {"versions", m.versions},
                   {"description", m.description},
                   {"origins", entry.origins}});
  }
  return json{{"modules", out}};
}

json RenderFiles(const std::vector<pipeline::PublishedFile>& files) {
  json out = json::array();
  for (const pipeline::PublishedFile& f : files) {
    out.push_back(
        {{"path", f.path}, {"size", f.size}, {"digest", f.digest}, {"executable", f.executable}});
  }
  return out;
}

// A folder module rendered like a published one: its files from the folder, its module.yaml.
Result<json> RenderFolderModule(const pipeline::FolderModule& module) {
  KILN_ASSIGN_OR_RETURN(pipeline::FolderModuleFiles folder,
                        pipeline::ReadFolderModuleFiles(module.manifest.source_dir));
  json out = RenderModuleManifest(module.manifest);
  out["files"] = RenderFiles(folder.files);
  out["created_ms"] = 0;
  out["manifest_yaml"] = std::move(folder.manifest_text);
  out["origin"] = module.origin;
  return out;
}

Result<json> Show(const pipeline::PublishedModules& modules, const RequestArgs& args) {
  KILN_ASSIGN_OR_RETURN(std::string name, args.RequiredString("name"));
  if (name.empty()) return InvalidArgument("Missing value for required parameter 'name'.");
  KILN_ASSIGN_OR_RETURN(std::string requested, args.OptionalString("version"));
  KILN_ASSIGN_OR_RETURN(pipeline::CatalogVersion found,
                        pipeline::ModuleCatalog(modules).Find(name, requested));
  json out;
  if (found.folder) {
    KILN_ASSIGN_OR_RETURN(out, RenderFolderModule(*found.folder));
  } else {
    KILN_ASSIGN_OR_RETURN(pipeline::PublishedModule module, modules.Get(name, found.version));
    out = RenderPublishedModule(module);
    out["origin"] = pipeline::kOriginPublished;
  }
  out["versions"] = found.versions;
  return json{{"module", out}};
}

// DELETE /api/v1/modules/{name...}?version= and POST /api/v1/modules/yank {"name", "version"}.
Result<json> Yank(pipeline::PublishedModules& modules, const RequestArgs& args) {
  KILN_ASSIGN_OR_RETURN(std::string name, args.RequiredString("name"));
  KILN_ASSIGN_OR_RETURN(std::string version, args.RequiredString("version"));
  if (name.empty()) return InvalidArgument("Missing value for required parameter 'name'.");
  KILN_ASSIGN_OR_RETURN(pipeline::YankResult yanked, modules.Yank(name, version));
  return json{{"name", yanked.name},
              {"version", yanked.version},
              {"yanked", true},
              {"yanked_now", yanked.yanked_now},
              {"yanked_ms", yanked.yanked_ms}};
}

}  // namespace

json RenderModuleManifest(const pipeline::ModuleManifest& m) {
  json params = json::array();
  for (const pipeline::ParamSpec& p : m.params) params.push_back(RenderParam(p));
  json out = {{"name", m.name},
              {"version", m.version},
              {"description", m.description},
              {"params", params},
              {"inputs", RenderPorts(m.inputs, true)},
              {"outputs", RenderPorts(m.outputs, false)},
              {"runner", RenderRunner(m.runner)},
              {"cache", m.cacheable},
              {"files_digest", m.files_digest}};
  if (!m.source_dir.empty()) out["source_dir"] = m.source_dir;
  return out;
}

json RenderPublishedModule(const pipeline::PublishedModule& module) {
  json out = RenderModuleManifest(module.manifest);
  out["files"] = RenderFiles(module.files);
  out["created_ms"] = module.created_ms;
  out["versions"] = module.versions;
  out["manifest_yaml"] = module.manifest_text;
  return out;
}

void AddModuleRoutes(http::Router& router, Services& services) {
  pipeline::PublishedModules& modules = services.modules;
  const exec::PipelineService& pipelines = services.pipelines;
  router.Add("POST", "/api/v1/modules", kEditor,
             JsonEndpoint([&modules, &pipelines](const RequestContext& ctx, const RequestArgs& a) {
               return Publish(modules, pipelines, ctx, a);
             }),
             http::RouteOptions{kMaxModuleBodyBytes});
  router.Add("GET", "/api/v1/modules", kViewer,
             JsonEndpoint([&modules](const RequestContext&, const RequestArgs&) {
               return List(pipeline::ModuleCatalog(modules));
             }));
  router.Add("GET", "/api/v1/modules/{name...}", kViewer,
             JsonEndpoint([&modules](const RequestContext& ctx, const RequestArgs& a) {
               return Show(modules, a);
             }));
  router.Add("DELETE", "/api/v1/modules/{name...}", kOwner,
             JsonEndpoint([&modules](const RequestContext& ctx, const RequestArgs& a) {
               return Yank(modules, a);
             }));
  router.Add("POST", "/api/v1/modules/yank", kOwner,
             JsonEndpoint([&modules](const RequestContext& ctx, const RequestArgs& a) {
               return Yank(modules, a);
             }));
}

}  // namespace kiln::api::v1
