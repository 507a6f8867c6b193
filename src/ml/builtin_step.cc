#include "ml/builtin_step.h"

#include <fstream>

#include "ml/file_io.h"

namespace kiln::ml {
namespace {

using nlohmann::json;

Result<std::map<std::string, std::string>> PathMap(const json& request, const char* field,
                                                   const std::string& file) {
  std::map<std::string, std::string> out;
  if (!request.contains(field)) return out;
  const json& map = request[field];
  if (!map.is_object()) return InvalidArgument(file + ": '" + field + "' is not an object");
  for (const auto& [name, path] : map.items()) {
    if (!path.is_string()) {
      return InvalidArgument(file + ": " + field + "." + name + " is not a path");
    }
    out[name] = path.get<std::string>();
  }
  return out;
}

}  // namespace

Result<BuiltinStep> BuiltinStep::Load(const std::string& path) {
  Result<FileBytes> bytes = ReadFileBytes(path);
  if (!bytes.ok()) return InvalidArgument("cannot read builtin request '" + path + "'");
  json request = json::parse(bytes->view(), nullptr, /*allow_exceptions=*/false);
  if (!request.is_object()) return InvalidArgument(path + ": not a JSON object");
  if (!request.contains("builtin") || !request["builtin"].is_string()) {
    return InvalidArgument(path + ": 'builtin' must name the builtin");
  }
  BuiltinStep step;
  step.builtin_ = request["builtin"].get<std::string>();
  step.step_ = request.value("step", "");
  if (request.contains("params")) {
    if (!request["params"].is_object())
      return InvalidArgument(path + ": 'params' is not an object");
    step.params_ = request["params"];
  }
  KILN_ASSIGN_OR_RETURN(step.inputs_, PathMap(request, "inputs", path));
  KILN_ASSIGN_OR_RETURN(step.outputs_, PathMap(request, "outputs", path));
  KILN_ASSIGN_OR_RETURN(step.input_sources_, PathMap(request, "input_sources", path));
  step.metrics_file_ = request.value("metrics_file", "");
  return step;
}

Result<std::string> BuiltinStep::Input(const std::string& name) const {
  auto it = inputs_.find(name);
  if (it == inputs_.end()) return InvalidArgument("input '" + name + "' is not bound");
  return it->second;
}

std::string BuiltinStep::InputLabel(const std::string& name) const {
  auto source = input_sources_.find(name);
  if (source == input_sources_.end()) {
    auto path = inputs_.find(name);
    return path == inputs_.end() ? name : path->second;
  }
  const std::string& text = source->second;
  return text.rfind("file:", 0) == 0 ? text.substr(5) : text;
}

Result<std::string> BuiltinStep::Output(const std::string& name) const {
  auto it = outputs_.find(name);
  if (it == outputs_.end()) return InvalidArgument("output '" + name + "' is not declared");
  return it->second;
}

Result<const nlohmann::json*> BuiltinStep::Param(const std::string& name) const {
  if (!params_.contains(name)) return InvalidArgument("param '" + name + "' has no value");
  return &params_[name];
}

Result<int64_t> BuiltinStep::Int(const std::string& name) const {
  KILN_ASSIGN_OR_RETURN(const json* value, Param(name));
  if (!value->is_number_integer()) return InvalidArgument("param '" + name + "' is not an int");
  return value->get<int64_t>();
}

Result<double> BuiltinStep::Float(const std::string& name) const {
  KILN_ASSIGN_OR_RETURN(const json* value, Param(name));
  if (!value->is_number()) return InvalidArgument("param '" + name + "' is not a number");
  return value->get<double>();
}

Result<bool> BuiltinStep::Bool(const std::string& name) const {
  KILN_ASSIGN_OR_RETURN(const json* value, Param(name));
  if (!value->is_boolean()) return InvalidArgument("param '" + name + "' is not a bool");
  return value->get<bool>();
}

Result<std::string> BuiltinStep::String(const std::string& name) const {
  KILN_ASSIGN_OR_RETURN(const json* value, Param(name));
  if (!value->is_string()) return InvalidArgument("param '" + name + "' is not a string");
  return value->get<std::string>();
}

Result<std::vector<std::string>> BuiltinStep::StringList(const std::string& name) const {
  std::vector<std::string> out;
  if (!params_.contains(name)) return out;
  const json& value = params_[name];
  if (!value.is_array()) return InvalidArgument("param '" + name + "' is not a list");
  for (const json& item : value) {
    if (!item.is_string()) return InvalidArgument("param '" + name + "' holds a non-string");
    out.push_back(item.get<std::string>());
  }
  return out;
}

Status BuiltinStep::LogMetric(const std::string& key, double value) const {
  return AppendMetricLine(json{{"key", key}, {"value", value}});
}

Status BuiltinStep::LogMetric(const std::string& key, double value, int64_t step) const {
  return AppendMetricLine(json{{"key", key}, {"value", value}, {"step", step}});
}

Status BuiltinStep::AppendMetricLine(const nlohmann::json& line) const {
  if (metrics_file_.empty()) return Status::Ok();
  std::ofstream out(metrics_file_, std::ios::app);
  out << line.dump() << "\n";
  out.close();
  if (!out) return Internal("cannot append to '" + metrics_file_ + "'");
  return Status::Ok();
}

}  // namespace kiln::ml
