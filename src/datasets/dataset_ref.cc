#include "datasets/dataset_ref.h"

#include <cctype>
#include <charconv>

namespace kiln::datasets {

std::string DatasetRef::ToString() const {
  return name + "@" + (version ? std::to_string(*version) : std::string("latest"));
}

Status ValidateDatasetName(std::string_view name) {
  auto allowed = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  };
  bool ok =
      !name.empty() && name.size() <= 128 && std::isalnum(static_cast<unsigned char>(name[0]));
  for (char c : name) ok = ok && allowed(c);
  if (ok) return Status::Ok();
  return InvalidArgument("invalid dataset name '" + std::string(name) +
                         "': use 1 to 128 letters, digits, '.', '_' or '-', starting with a "
                         "letter or digit");
}

Result<DatasetRef> ParseDatasetRef(std::string_view text, bool allow_bare) {
  const size_t at = text.rfind('@');
  DatasetRef ref;
  if (at == std::string_view::npos) {
    if (!allow_bare) {
      return InvalidArgument("expected NAME@VERSION or NAME@latest, found '" + std::string(text) +
                             "'");
    }
    KILN_RETURN_IF_ERROR(ValidateDatasetName(text));
    ref.name = std::string(text);
    return ref;
  }
  ref.name = std::string(text.substr(0, at));
  KILN_RETURN_IF_ERROR(ValidateDatasetName(ref.name));
  const std::string_view version = text.substr(at + 1);
  if (version == "latest") return ref;
  int64_t number = 0;
  auto [end, ec] = std::from_chars(version.data(), version.data() + version.size(), number);
  if (ec != std::errc() || end != version.data() + version.size() || number < 1) {
    return InvalidArgument("dataset version must be a positive integer or 'latest', found '" +
                           std::string(version) + "' in '" + std::string(text) + "'");
  }
  ref.version = number;
  return ref;
}

}  // namespace kiln::datasets
