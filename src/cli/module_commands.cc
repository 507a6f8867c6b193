#include "cli/module_commands.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/client_flags.h"
#include "cli/exit_codes.h"
#include "cli/table.h"
#include "common/base64.h"
#include "pipeline/module_folder.h"

namespace kiln::cli {

using nlohmann::json;

namespace {

struct ModuleCommandFlags : ClientFlags {
  std::string target;  // DIR for publish, NAME[@VERSION] for show
};

Result<json> PublishBody(const std::string& dir) {
  // Loading first checks the manifest locally, so errors name the user's own file.
  KILN_ASSIGN_OR_RETURN(pipeline::ModuleManifest manifest, pipeline::LoadModuleFolder(dir));
  KILN_ASSIGN_OR_RETURN(std::vector<pipeline::ModuleFile> files, pipeline::ReadModuleFiles(dir));
  json body = {{"manifest", ""}, {"files", json::array()}};
  for (const pipeline::ModuleFile& f : files) {
    if (f.path == "module.yaml") body["manifest"] = f.bytes;
    body["files"].push_back({{"path", f.path},
                             {"content_base64", EncodeBase64(f.bytes)},
                             {"executable", f.executable}});
  }
  return body;
}

std::string Range(const json& p) {
  if (p.contains("values")) {
    std::string out;
    for (const json& v : p["values"]) out += (out.empty() ? "" : "|") + Cell(v);
    return out;
  }
  if (p.contains("min") && p.contains("max")) return Cell(p["min"]) + ".." + Cell(p["max"]);
  if (p.contains("min")) return ">= " + Cell(p["min"]);
  if (p.contains("max")) return "<= " + Cell(p["max"]);
  return "";
}

std::string ParamType(const json& p) {
  const std::string type = p.value("type", "");
  return p.contains("items") ? type + " of " + p["items"].get<std::string>() : type;
}

// One argument of a command line, readable: bare when plain, else a shortened JSON string.
std::string Arg(const std::string& arg) {
  const bool plain = !arg.empty() && arg.find_first_of(" \t\n\"'\\") == std::string::npos;
  if (plain) return arg;
  std::string quoted = json(arg).dump(-1, ' ', false, json::error_handler_t::replace);
  return quoted.size() <= 60 ? quoted : quoted.substr(0, 56) + "...\"";
}

void PrintRunner(const json& runner) {
  if (runner.value("kind", "") == "builtin") {
    std::cout << "runs: builtin " << Cell(runner["builtin"]) << "\n";
  } else {
    std::string line;
    for (const json& arg : runner["command"]) line += (line.empty() ? "" : " ") + Arg(Cell(arg));
    std::cout << "runs: " << line << "\n";
  }
  for (const auto& [key, value] : runner["env"].items()) {
    std::cout << "env: " << key << "=" << Cell(value) << "\n";
  }
}

void PrintSection(const char* title, const std::vector<std::string>& header,
                  const std::vector<std::vector<std::string>>& rows) {
  std::cout << "\n" << title << ":\n";
  if (rows.empty()) {
    std::cout << "  (none)\n";
  } else {
    PrintTable(std::cout, header, rows, 80);
  }
}

void PrintPorts(const char* title, const json& ports) {
  std::vector<std::vector<std::string>> rows;
  for (const json& port : ports) {
    rows.push_back({Cell(port["name"]), Cell(port["type"]), Cell(port["description"])});
  }
  PrintSection(title, {"NAME", "TYPE", "DESCRIPTION"}, rows);
}

void PrintModule(const json& m) {
  std::cout << Cell(m["name"]) << "@" << Cell(m["version"]);
  std::string versions;
  for (const json& v : m.value("versions", json::array())) {
    versions += (versions.empty() ? "" : ", ") + Cell(v);
  }
  std::cout << "  (versions: " << versions << ")\n";
  if (!Cell(m["description"]).empty())
    std::cout << "description: " << Cell(m["description"]) << "\n";
  PrintRunner(m["runner"]);
  std::cout << "files digest: " << Cell(m["files_digest"]) << "\n";
  std::vector<std::vector<std::string>> params;
  for (const json& p : m["params"]) {
    params.push_back({Cell(p["name"]), ParamType(p),
                      p.contains("default") ? Cell(p["default"]) : "", Range(p),
                      p.value("required", false) ? "yes" : "no", Cell(p["help"])});
  }
  PrintSection("Params", {"NAME", "TYPE", "DEFAULT", "RANGE/VALUES", "REQUIRED", "HELP"}, params);
  PrintPorts("Inputs", m["inputs"]);
  PrintPorts("Outputs", m["outputs"]);
  std::vector<std::vector<std::string>> files;
  for (const json& f : m.value("files", json::array())) {
    files.push_back({Cell(f["path"]), Cell(f["size"]), f.value("executable", false) ? "x" : "",
                     Cell(f["digest"])});
  }
  PrintSection("Files", {"PATH", "SIZE", "EXEC", "DIGEST"}, files);
}

// "team/train" stays "team/train": segments are encoded, the slashes kept for {name...}.
std::string ModulePath(const std::string& name) {
  std::string path = "/api/v1/modules";
  size_t start = 0;
  while (start <= name.size()) {
    size_t slash = name.find('/', start);
    if (slash == std::string::npos) slash = name.size();
    path += "/" + UrlEncode(name.substr(start, slash - start));
    start = slash + 1;
  }
  return path;
}

CLI::App* AddSubcommand(CLI::App& group, const char* name, const char* help,
                        ModuleCommandFlags& flags) {
  CLI::App* command = group.add_subcommand(name, help);
  AddClientFlags(*command, flags);
  return command;
}

}  // namespace

int PublishModule(ApiCaller& api, const std::string& dir, const OutputFlags& out) {
  Result<json> body = PublishBody(dir);
  if (!body.ok()) return Fail(body.status());
  Result<json> answer = api.Post("/api/v1/modules", *body);
  if (!answer.ok()) return Fail(answer.status());
  const json& m = (*answer)["module"];
  const std::string id = Cell(m["name"]) + "@" + Cell(m["version"]);
  if (out.json) {
    std::cout << answer->dump(2) << "\n";
  } else if (answer->value("created", false)) {
    std::cout << "published " << id << " (digest " << Cell(m["files_digest"]) << ")\n";
  } else {
    std::cout << id << " already published (same content)\n";
  }
  return kExitOk;
}

int ListModules(ApiCaller& api, const OutputFlags& out) {
  Result<json> body = api.Get("/api/v1/modules", {});
  if (!body.ok()) return Fail(body.status());
  if (out.json) {
    std::cout << body->dump(2) << "\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const json& m : (*body)["modules"]) {
    std::string versions;
    for (const json& v : m["versions"]) versions += (versions.empty() ? "" : ", ") + Cell(v);
    std::string origins;
    for (const json& o : m.value("origins", json::array())) {
      origins += (origins.empty() ? "" : ", ") + Cell(o);
    }
    rows.push_back(
        {Cell(m["name"]), Cell(m["latest_version"]), versions, origins, Cell(m["description"])});
  }
  PrintTable(std::cout, {"NAME", "LATEST", "VERSIONS", "ORIGINS", "DESCRIPTION"}, rows, 60);
  return kExitOk;
}

int ShowModule(ApiCaller& api, const std::string& ref, const OutputFlags& out) {
  const size_t at = ref.find('@');
  const std::string name = ref.substr(0, at);
  if (name.empty())
    return Fail(InvalidArgument("expected NAME or NAME@VERSION, got '" + ref + "'"));
  std::vector<std::pair<std::string, std::string>> query;
  if (at != std::string::npos) query.emplace_back("version", ref.substr(at + 1));
  Result<json> body = api.Get(ModulePath(name), query);
  if (!body.ok()) return Fail(body.status());
  if (out.json) {
    std::cout << body->dump(2) << "\n";
  } else {
    PrintModule((*body)["module"]);
  }
  return kExitOk;
}

int YankModule(ApiCaller& api, const std::string& ref, const OutputFlags& out) {
  const size_t at = ref.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == ref.size()) {
    return Fail(
        InvalidArgument("expected NAME@VERSION (the exact version to yank), got '" + ref + "'"));
  }
  Result<json> answer = api.Post("/api/v1/modules/yank",
                                 {{"name", ref.substr(0, at)}, {"version", ref.substr(at + 1)}});
  if (!answer.ok()) return Fail(answer.status());
  if (out.json) {
    std::cout << answer->dump(2) << "\n";
  } else {
    std::cout << (answer->value("yanked_now", false) ? "yanked " : "already yanked: ") << ref
              << "\n";
  }
  return kExitOk;
}

void AddModuleCommands(CLI::App& app, int& rc) {
  auto flags = std::make_shared<ModuleCommandFlags>();
  CLI::App* group = app.add_subcommand("module", "Reusable modules: publish, list, show, yank")
                        ->require_subcommand(1);
  CLI::App* publish = AddSubcommand(*group, "publish", "Publish a module folder", *flags);
  publish->add_option("DIR", flags->target, "Folder holding module.yaml")->required();
  publish->callback([flags, &rc] {
    rc = WithApi(*flags, false,
                 [&](ApiCaller& a) { return PublishModule(a, flags->target, flags->output); });
  });
  CLI::App* ls = AddSubcommand(*group, "ls", "List published modules", *flags);
  ls->callback([flags, &rc] {
    rc = WithApi(*flags, false, [&](ApiCaller& a) { return ListModules(a, flags->output); });
  });
  CLI::App* show =
      AddSubcommand(*group, "show", "Show a module's params, ports and runner", *flags);
  show->add_option("MODULE", flags->target, "NAME or NAME@VERSION")->required();
  show->callback([flags, &rc] {
    rc = WithApi(*flags, false,
                 [&](ApiCaller& a) { return ShowModule(a, flags->target, flags->output); });
  });
  CLI::App* yank = AddSubcommand(
      *group, "yank", "Withdraw a published version (its number is never reused)", *flags);
  yank->add_option("MODULE", flags->target, "NAME@VERSION")->required();
  yank->callback([flags, &rc] {
    rc = WithApi(*flags, false,
                 [&](ApiCaller& a) { return YankModule(a, flags->target, flags->output); });
  });
}

}  // namespace kiln::cli
