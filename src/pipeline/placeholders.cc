#include "pipeline/placeholders.h"

#include "pipeline/param_spec_yaml.h"

namespace kiln::pipeline {
namespace {

// Calls `on_text` for the literal text between placeholders and `on_placeholder` for each
// placeholder, in order. Errors: as FindPlaceholders, or whatever a callback returns.
Status Scan(std::string_view text, const std::function<void(std::string_view)>& on_text,
            const std::function<Status(const Placeholder&)>& on_placeholder) {
  size_t pos = 0;
  size_t start;
  while ((start = text.find("${", pos)) != std::string_view::npos) {
    const size_t end = text.find('}', start);
    if (end == std::string_view::npos) return InvalidArgument("unterminated '${'");
    const std::string_view body = text.substr(start + 2, end - start - 2);
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
    on_text(text.substr(pos, start - pos));
    KILN_RETURN_IF_ERROR(on_placeholder(placeholder));
    pos = end + 1;
  }
  on_text(text.substr(pos));
  return Status::Ok();
}

}  // namespace

Result<std::vector<Placeholder>> FindPlaceholders(std::string_view text) {
  std::vector<Placeholder> found;
  KILN_RETURN_IF_ERROR(Scan(
      text, [](std::string_view) {},
      [&found](const Placeholder& p) {
        found.push_back(p);
        return Status::Ok();
      }));
  return found;
}

Result<std::string> SubstitutePlaceholders(std::string_view text, const PlaceholderLookup& lookup) {
  std::string out;
  KILN_RETURN_IF_ERROR(Scan(
      text, [&out](std::string_view literal) { out += literal; },
      [&](const Placeholder& p) -> Status {
        KILN_ASSIGN_OR_RETURN(std::string value, lookup(p));
        out += value;
        return Status::Ok();
      }));
  return out;
}

}  // namespace kiln::pipeline
