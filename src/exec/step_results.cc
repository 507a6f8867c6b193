#include "exec/step_results.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <system_error>

#include "artifacts/blob_tree.h"

namespace kiln::exec {
namespace fs = std::filesystem;
namespace {

Result<std::string> StoreOutput(artifacts::ArtifactStore& store, const std::string& name,
                                pipeline::ArtifactType type, const fs::path& path) {
  std::error_code ec;
  const bool is_dir = fs::is_directory(path, ec);
  if (type == pipeline::ArtifactType::kDir && !is_dir) {
    return FailedPrecondition("output '" + name + "' must be a folder (at " + path.string() + ")");
  }
  if (is_dir) return artifacts::PutTree(store, path.string(), artifacts::Sync::kCrashSafe);
  if (!fs::is_regular_file(path, ec)) {
    return FailedPrecondition("output '" + name + "' was not written (expected a file at " +
                              path.string() + ")");
  }
  return store.PutBlobFile(path.string(), artifacts::Sync::kCrashSafe);
}

Result<std::vector<tracking::Metric>> MetricsOfLine(const nlohmann::json& line, int64_t now_ms) {
  std::vector<tracking::Metric> metrics;
  const int64_t step =
      line.contains("step") && line["step"].is_number_integer() ? line["step"].get<int64_t>() : 0;
  const int64_t timestamp = line.contains("timestamp") && line["timestamp"].is_number_integer()
                                ? line["timestamp"].get<int64_t>()
                                : now_ms;
  if (line.contains("key")) {
    if (!line["key"].is_string() || !line.contains("value") || !line["value"].is_number()) {
      return InvalidArgument("expected {\"key\": string, \"value\": number}");
    }
    metrics.push_back(
        {line["key"].get<std::string>(), line["value"].get<double>(), timestamp, step});
    return metrics;
  }
  for (const auto& [key, value] : line.items()) {
    if (key == "step" || key == "timestamp") continue;
    if (!value.is_number()) return InvalidArgument("metric '" + key + "' is not a number");
    metrics.push_back({key, value.get<double>(), timestamp, step});
  }
  return metrics;
}

}  // namespace

Result<std::vector<pipeline::StepOutput>> CollectOutputs(artifacts::ArtifactStore& store,
                                                         const pipeline::ResolvedStep& step,
                                                         const StepPaths& paths) {
  std::vector<pipeline::StepOutput> outputs;
  for (const auto& [name, type] : step.outputs) {
    const fs::path path = fs::path(paths.outputs_dir) / name;
    KILN_ASSIGN_OR_RETURN(std::string digest, StoreOutput(store, name, type, path));
    std::error_code ec;
    outputs.push_back({name, type, std::move(digest), fs::is_directory(path, ec)});
  }
  return outputs;
}

Status CheckOutputsStored(const artifacts::ArtifactStore& store,
                          const std::vector<pipeline::StepOutput>& outputs) {
  for (const pipeline::StepOutput& output : outputs) {
    auto missing = [&output](const std::string& digest) {
      return NotFound("output '" + output.name + "': blob " + digest + " is no longer stored");
    };
    if (!store.LocateBlob(output.digest).ok()) return missing(output.digest);
    if (!output.is_tree) continue;
    KILN_ASSIGN_OR_RETURN(std::vector<artifacts::TreeEntry> entries,
                          artifacts::ReadTree(store, output.digest));
    for (const artifacts::TreeEntry& entry : entries) {
      if (!store.LocateBlob(entry.digest).ok()) return missing(entry.digest);
    }
  }
  return Status::Ok();
}

Result<std::vector<tracking::Metric>> ReadMetricsFile(const std::string& path, int64_t now_ms) {
  std::vector<tracking::Metric> metrics;
  std::ifstream in(path);
  int line_number = 0;
  for (std::string text; std::getline(in, text);) {
    ++line_number;
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    nlohmann::json line = nlohmann::json::parse(text, nullptr, false);
    Result<std::vector<tracking::Metric>> parsed =
        line.is_object()
            ? MetricsOfLine(line, now_ms)
            : Result<std::vector<tracking::Metric>>(InvalidArgument("not a JSON object"));
    if (!parsed.ok()) {
      return InvalidArgument("metrics file line " + std::to_string(line_number) + ": " +
                             parsed.status().message());
    }
    metrics.insert(metrics.end(), parsed->begin(), parsed->end());
  }
  return metrics;
}

std::string LogTail(const std::string& path, int lines) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  const std::streamoff start = size > 65536 ? size - 65536 : 0;
  in.seekg(start);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t pos = text.size();
  if (pos > 0 && text[pos - 1] == '\n') --pos;
  for (int seen = 0; pos > 0; --pos) {
    if (text[pos - 1] == '\n' && ++seen == lines) break;
  }
  return text.substr(pos);
}

}  // namespace kiln::exec
