#include "pipeline/placeholders.h"

#include "pipeline/param_spec_yaml.h"

namespace kiln::pipeline {

Result<std::vector<Placeholder>> FindPlaceholders(std::string_view text) {
  std::vector<Placeholder> found;
  size_t pos = 0;
  while ((pos = text.find("${", pos)) != std::string_view::npos) {
    const size_t end = text.find('}', pos);
    if (end == std::string_view::npos) return InvalidArgument("unterminated '${'");
    const std::string_view body = text.substr(pos + 2, end - pos - 2);
    const size_t dot = body.find('.');
    Placeholder placeholder;
    if (dot != std::string_view::npos) {
      placeholder.scope = std::string(body.substr(0, dot));
      placeholder.name = std::string(body.substr(dot + 1));
    }
    const bool scope_ok = placeholder.scope == "params" || placeholder.scope == "inputs" ||
                          placeholder.scope == "outputs";
    if (!scope_ok || !IsIdentifier(placeholder.name)) {
      return InvalidArgument("bad placeholder '${" + std::string(body) +
                             "}' (expected ${params.NAME}, ${inputs.NAME} or ${outputs.NAME})");
    }
    found.push_back(std::move(placeholder));
    pos = end + 1;
  }
  return found;
}

}  // namespace kiln::pipeline
