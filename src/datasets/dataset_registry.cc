#include "datasets/dataset_registry.h"

#include <filesystem>

#include "artifacts/blob_tree.h"
#include "common/ids.h"

namespace kiln::datasets {
namespace {

using store::Rows;
using store::Session;

constexpr const char* kVersionColumns =
    "name, version, digest, is_tree, size_bytes, file_count, source, created_ms";

DatasetVersion VersionFromRow(const store::Row& row) {
  DatasetVersion v;
  v.name = row.Text(0);
  v.version = row.Int(1);
  v.digest = row.Text(2);
  v.is_tree = row.Int(3) != 0;
  v.size_bytes = row.Int(4);
  v.file_count = row.Int(5);
  v.source = row.Text(6);
  v.created_ms = row.Int(7);
  return v;
}

Result<Rows> LatestRow(Session& s, const std::string& name) {
  return s.Query(std::string("SELECT ") + kVersionColumns +
                     " FROM dataset_versions WHERE name = ? ORDER BY version DESC LIMIT 1",
                 {name});
}

Status InsertVersion(Session& s, const DatasetVersion& v, const std::string& description) {
  KILN_RETURN_IF_ERROR(
      s.Exec("INSERT INTO datasets (name, description, created_ms, updated_ms) VALUES (?, ?, ?, ?) "
             "ON CONFLICT (name) DO UPDATE SET updated_ms = excluded.updated_ms",
             {v.name, description, v.created_ms, v.created_ms}));
  if (!description.empty()) {
    KILN_RETURN_IF_ERROR(
        s.Exec("UPDATE datasets SET description = ? WHERE name = ?", {description, v.name}));
  }
  return s.Exec(std::string("INSERT INTO dataset_versions (") + kVersionColumns +
                    ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                {v.name, v.version, v.digest, static_cast<int64_t>(v.is_tree), v.size_bytes,
                 v.file_count, v.source, v.created_ms});
}

}  // namespace

DatasetRegistry::DatasetRegistry(store::MetaStore& store, artifacts::ArtifactStore& artifacts)
    : store_(store), artifacts_(artifacts) {}

Result<DatasetVersion> DatasetRegistry::Measure(const NewVersion& request) {
  DatasetVersion v;
  v.name = request.name;
  v.digest = request.digest;
  v.is_tree = request.is_tree;
  v.source = request.source;
  if (!request.is_tree) {
    KILN_ASSIGN_OR_RETURN(std::string path, artifacts_.LocateBlob(request.digest));
    std::error_code ec;
    v.size_bytes = static_cast<int64_t>(std::filesystem::file_size(path, ec));
    if (ec) return Internal("cannot read the size of " + path + ": " + ec.message());
    v.file_count = 1;
    return v;
  }
  KILN_ASSIGN_OR_RETURN(std::vector<artifacts::TreeEntry> entries,
                        artifacts::ReadTree(artifacts_, request.digest));
  for (const artifacts::TreeEntry& entry : entries) {
    if (!artifacts_.LocateBlob(entry.digest).ok()) {
      return NotFound("file '" + entry.path + "' of folder " + request.digest +
                      " is not stored (upload its blob " + entry.digest + " first)");
    }
    v.size_bytes += entry.size;
  }
  v.file_count = static_cast<int64_t>(entries.size());
  return v;
}

Result<AddedVersion> DatasetRegistry::AddVersion(const NewVersion& request) {
  KILN_RETURN_IF_ERROR(ValidateDatasetName(request.name));
  KILN_ASSIGN_OR_RETURN(DatasetVersion measured, Measure(request));
  AddedVersion added;
  KILN_RETURN_IF_ERROR(store_.Write([&](Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(Rows latest, LatestRow(s, request.name));
    if (!latest.empty()) {
      DatasetVersion current = VersionFromRow(latest[0]);
      if (current.digest == measured.digest && current.is_tree == measured.is_tree) {
        added.version = std::move(current);
        return Status::Ok();
      }
    }
    measured.version = latest.empty() ? 1 : latest[0].Int(1) + 1;
    measured.created_ms = NowMillis();
    added.version = measured;
    added.created = true;
    return InsertVersion(s, measured, request.description);
  }));
  return added;
}

Result<std::vector<Dataset>> DatasetRegistry::List() {
  std::vector<Dataset> out;
  KILN_RETURN_IF_ERROR(store_.Read([&](Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(
        Rows rows,
        s.Query("SELECT d.name, d.description, v.version, d.created_ms, d.updated_ms, "
                "v.size_bytes FROM datasets d JOIN dataset_versions v ON v.name = d.name AND "
                "v.version = (SELECT MAX(w.version) FROM dataset_versions w WHERE w.name = "
                "d.name) ORDER BY d.name"));
    for (const store::Row& row : rows) {
      out.push_back({row.Text(0), row.Text(1), row.Int(2), row.Int(3), row.Int(4), row.Int(5)});
    }
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<DatasetVersion>> DatasetRegistry::Versions(const std::string& name) {
  std::vector<DatasetVersion> out;
  KILN_RETURN_IF_ERROR(store_.Read([&](Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(Rows rows, s.Query(std::string("SELECT ") + kVersionColumns +
                                                 " FROM dataset_versions WHERE name = ? "
                                                 "ORDER BY version DESC",
                                             {name}));
    for (const store::Row& row : rows) out.push_back(VersionFromRow(row));
    return Status::Ok();
  }));
  if (out.empty()) return NotFound("dataset '" + name + "' not found");
  return out;
}

Result<DatasetVersion> DatasetRegistry::Get(const DatasetRef& ref) {
  DatasetVersion found;
  KILN_RETURN_IF_ERROR(store_.Read([&](Session& s) -> Status {
    KILN_ASSIGN_OR_RETURN(Rows latest, LatestRow(s, ref.name));
    if (latest.empty()) return NotFound("dataset '" + ref.name + "' not found");
    if (!ref.version || *ref.version == latest[0].Int(1)) {
      found = VersionFromRow(latest[0]);
      return Status::Ok();
    }
    KILN_ASSIGN_OR_RETURN(Rows rows, s.Query(std::string("SELECT ") + kVersionColumns +
                                                 " FROM dataset_versions WHERE name = ? AND "
                                                 "version = ?",
                                             {ref.name, *ref.version}));
    if (rows.empty()) {
      return NotFound("dataset '" + ref.name + "' has no version " + std::to_string(*ref.version) +
                      " (latest is " + std::to_string(latest[0].Int(1)) + ")");
    }
    found = VersionFromRow(rows[0]);
    return Status::Ok();
  }));
  return found;
}

}  // namespace kiln::datasets
