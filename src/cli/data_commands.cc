#include "cli/data_commands.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>
#include <set>

#include "artifacts/blob_tree.h"
#include "cli/client_flags.h"
#include "cli/exit_codes.h"
#include "cli/file_hashing.h"
#include "cli/table.h"
#include "datasets/dataset_ref.h"

namespace kiln::cli {
namespace fs = std::filesystem;
namespace {

using nlohmann::json;

struct DataCommandFlags : ClientFlags {
  DataAddFlags add;
  std::string target;    // NAME or NAME@VERSION
  std::string out_path;  // for get
};

int FailData(const Status& status) { return Fail(status, "kiln data"); }

Status UploadMissing(ApiCaller& api, const HashedInput& input) {
  std::set<std::string> digests;
  for (const HashedFile& f : input.files) digests.insert(f.digest);
  KILN_ASSIGN_OR_RETURN(json answer,
                        api.Post("/api/v1/blobs/missing", json{{"digests", json(digests)}}));
  std::set<std::string> missing;
  for (const json& d : answer["missing"]) missing.insert(d.get<std::string>());
  for (const HashedFile& f : input.files) {
    if (missing.erase(f.digest) == 0) continue;  // stored already, or uploaded just now
    KILN_RETURN_IF_ERROR(api.UploadBlob(f.digest, f.abs_path));
  }
  return Status::Ok();
}

json VersionBody(const DataAddFlags& flags, const HashedInput& input) {
  json body = {{"name", flags.name},
               {"source", fs::absolute(flags.input).lexically_normal().string()},
               {"description", flags.description}};
  if (!input.is_folder) {
    body["digest"] = input.files[0].digest;
    return body;
  }
  json files = json::array();
  for (const HashedFile& f : input.files) {
    files.push_back(
        {{"path", f.path}, {"digest", f.digest}, {"size", f.size}, {"executable", f.executable}});
  }
  body["files"] = std::move(files);
  return body;
}

std::string Describe(const json& v) {
  return Cell(v["file_count"]) + (v.value("file_count", 0) == 1 ? " file, " : " files, ") +
         FormatBytes(v.value("size_bytes", int64_t{0})) + ", sha256 " +
         v.value("digest", "").substr(0, 12);
}

// The listing comes from a server: checked as the server checks folders before anything is
// written, so a crafted one cannot write outside `dest`.
Status CheckListing(const json& files) {
  std::vector<artifacts::TreeEntry> entries;
  for (const json& f : files) {
    entries.push_back({f.value("path", ""), f.value("digest", ""), f.value("size", int64_t{0}),
                       f.value("executable", false)});
  }
  Status safe = artifacts::ValidateTreeEntries(entries, "files[]");
  if (safe.ok()) return safe;
  return InvalidArgument("the server listed an unsafe folder: " + safe.message());
}

Status WriteFolder(ApiCaller& api, const json& files, const fs::path& dest) {
  KILN_RETURN_IF_ERROR(CheckListing(files));
  for (const json& f : files) {
    const fs::path path = dest / f.value("path", "");
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec) return Internal("cannot create '" + path.parent_path().string() + "': " + ec.message());
    KILN_RETURN_IF_ERROR(api.DownloadBlob(f.value("digest", ""), path.string()));
    if (f.value("executable", false)) {
      fs::permissions(path, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                      fs::perm_options::add, ec);
    }
  }
  return Status::Ok();
}

CLI::App* AddSubcommand(CLI::App& group, const char* name, const char* help,
                        DataCommandFlags& flags) {
  CLI::App* command = group.add_subcommand(name, help);
  AddClientFlags(*command, flags);
  return command;
}

}  // namespace

int AddDataset(ApiCaller& api, const DataAddFlags& flags, const OutputFlags& out) {
  Status name_ok = datasets::ValidateDatasetName(flags.name);
  if (!name_ok.ok()) return FailData(name_ok);
  Result<HashedInput> input = HashInput(flags.input, ::isatty(STDERR_FILENO) ? stderr : nullptr);
  if (!input.ok()) return FailData(input.status());
  Status uploaded = UploadMissing(api, *input);
  if (!uploaded.ok()) return FailData(uploaded);
  Result<json> answer = api.Post("/api/v1/datasets", VersionBody(flags, *input));
  if (!answer.ok()) return FailData(answer.status());
  const json& v = (*answer)["version"];
  const std::string id = Cell(v["name"]) + "@" + Cell(v["version"]);
  if (out.json) {
    std::cout << answer->dump(2) << "\n";
  } else if (answer->value("created", false)) {
    std::cout << "added " << id << " (" << Describe(v) << ")\n";
  } else {
    std::cout << id << " unchanged (same content as the latest version; " << Describe(v) << ")\n";
  }
  return kExitOk;
}

int ListDatasets(ApiCaller& api, const OutputFlags& out) {
  Result<json> body = api.Get("/api/v1/datasets", {});
  if (!body.ok()) return FailData(body.status());
  if (out.json) {
    std::cout << body->dump(2) << "\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const json& d : (*body)["datasets"]) {
    rows.push_back({Cell(d["name"]), Cell(d["latest_version"]),
                    FormatTime(d.value("updated_ms", int64_t{0})), Cell(d["description"])});
  }
  PrintTable(std::cout, {"NAME", "LATEST", "UPDATED", "DESCRIPTION"}, rows, 60);
  return kExitOk;
}

int ListDatasetVersions(ApiCaller& api, const std::string& name, const OutputFlags& out) {
  Result<json> body = api.Get("/api/v1/datasets/" + UrlEncode(name) + "/versions", {});
  if (!body.ok()) return FailData(body.status());
  if (out.json) {
    std::cout << body->dump(2) << "\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const json& v : (*body)["versions"]) {
    rows.push_back({Cell(v["version"]), Cell(v["kind"]), Cell(v["file_count"]),
                    FormatBytes(v.value("size_bytes", int64_t{0})),
                    v.value("digest", "").substr(0, 12),
                    FormatTime(v.value("created_ms", int64_t{0})), Cell(v["source"])});
  }
  PrintTable(std::cout, {"VERSION", "KIND", "FILES", "SIZE", "SHA256", "CREATED", "SOURCE"}, rows,
             60);
  return kExitOk;
}

int GetDataset(ApiCaller& api, const std::string& text, const std::string& output) {
  Result<datasets::DatasetRef> ref = datasets::ParseDatasetRef(text, /*allow_bare=*/true);
  if (!ref.ok()) return FailData(ref.status());
  const std::string version = ref->version ? std::to_string(*ref->version) : "latest";
  Result<json> body =
      api.Get("/api/v1/datasets/" + UrlEncode(ref->name) + "/versions/" + version, {});
  if (!body.ok()) return FailData(body.status());
  const json& v = (*body)["version"];
  const bool folder = v.value("kind", "") == "folder";
  fs::path dest = output;
  if (dest.empty()) {
    dest = folder ? fs::path(ref->name) : fs::path(v.value("source", "")).filename();
  }
  if (dest.empty()) dest = ref->name;
  std::error_code ec;
  if (fs::exists(dest, ec)) {
    return FailData(InvalidArgument("'" + dest.string() +
                                    "' exists; remove it or choose another path with -o"));
  }
  Status written = folder ? WriteFolder(api, v["files"], dest)
                          : api.DownloadBlob(v.value("digest", ""), dest.string());
  if (!written.ok()) return FailData(written);
  std::cout << "wrote " << Cell(v["name"]) << "@" << Cell(v["version"]) << " to " << dest.string()
            << " (" << Describe(v) << ")\n";
  return kExitOk;
}

void AddDataCommands(CLI::App& app, int& rc) {
  auto flags = std::make_shared<DataCommandFlags>();
  CLI::App* group = app.add_subcommand("data", "Versioned datasets: add, ls, versions, get")
                        ->require_subcommand(1);
  CLI::App* add = AddSubcommand(*group, "add", "Add a file or folder as a dataset version", *flags);
  add->add_option("PATH", flags->add.input, "File or folder to add")->required();
  add->add_option("--name", flags->add.name, "Dataset name")->required();
  add->add_option("--description", flags->add.description, "What the data is");
  add->callback([flags, &rc] {
    rc = WithApi(*flags, true,
                 [&](ApiCaller& a) { return AddDataset(a, flags->add, flags->output); });
  });
  CLI::App* ls = AddSubcommand(*group, "ls", "List datasets", *flags);
  ls->callback([flags, &rc] {
    rc = WithApi(*flags, false, [&](ApiCaller& a) { return ListDatasets(a, flags->output); });
  });
  CLI::App* versions = AddSubcommand(*group, "versions", "List a dataset's versions", *flags);
  versions->add_option("NAME", flags->target, "Dataset name")->required();
  versions->callback([flags, &rc] {
    rc = WithApi(*flags, false, [&](ApiCaller& a) {
      return ListDatasetVersions(a, flags->target, flags->output);
    });
  });
  CLI::App* get = AddSubcommand(*group, "get", "Write a dataset version to a path", *flags);
  get->add_option("DATASET", flags->target, "NAME@VERSION, NAME@latest or NAME")->required();
  get->add_option("-o,--output", flags->out_path, "Where to write it");
  get->callback([flags, &rc] {
    rc = WithApi(*flags, false,
                 [&](ApiCaller& a) { return GetDataset(a, flags->target, flags->out_path); });
  });
}

}  // namespace kiln::cli
