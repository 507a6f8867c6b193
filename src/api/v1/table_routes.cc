#include "api/v1/table_routes.h"

#include <string>
#include <variant>

#include "ml/table_preview.h"

namespace kiln::api::v1 {
namespace {

using nlohmann::json;

constexpr int64_t kMaxPreviewRows = 1000;

json CellJson(const ml::PreviewCell& cell) {
  return std::visit(
      [](const auto& v) -> json {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::monostate>) {
          return nullptr;
        } else {
          return v;
        }
      },
      cell);
}

Result<json> PreviewTable(Services& s, const RequestArgs& args) {
  KILN_ASSIGN_OR_RETURN(std::string digest, args.RequiredString("digest"));
  KILN_ASSIGN_OR_RETURN(std::optional<int64_t> limit, args.OptionalInt("limit"));
  if (limit && (*limit < 1 || *limit > kMaxPreviewRows)) {
    return InvalidArgument("'limit' must be from 1 to " + std::to_string(kMaxPreviewRows) +
                           ", got " + std::to_string(*limit));
  }
  KILN_ASSIGN_OR_RETURN(std::string path, s.artifacts.LocateBlob(digest));
  Result<ml::TablePreview> preview = ml::PreviewTableFile(path, limit.value_or(100));
  if (!preview.ok()) {
    if (preview.status().code() != StatusCode::kInvalidArgument) return preview.status();
    return InvalidArgument("blob " + digest + " is not a Kiln table (.ktab)");
  }
  json columns = json::array();
  for (size_t c = 0; c < preview->names.size(); ++c) {
    columns.push_back(
        {{"name", preview->names[c]}, {"type", ml::ColumnTypeName(preview->types[c])}});
  }
  json rows = json::array();
  for (const std::vector<ml::PreviewCell>& row : preview->rows) {
    json cells = json::array();
    for (const ml::PreviewCell& cell : row) cells.push_back(CellJson(cell));
    rows.push_back(std::move(cells));
  }
  return json{
      {"digest", digest}, {"row_count", preview->row_count}, {"columns", columns}, {"rows", rows}};
}

}  // namespace

void AddTableRoutes(http::Router& router, Services& s) {
  router.Add("GET", "/api/v1/tables/{digest}", kViewer,
             JsonEndpoint([&s](const RequestContext& ctx, const RequestArgs& args) {
               return PreviewTable(s, args);
             }));
}

}  // namespace kiln::api::v1
