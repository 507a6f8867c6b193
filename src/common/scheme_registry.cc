#include "common/scheme_registry.h"

namespace kiln {

Result<std::pair<std::string, std::string>> SplitUri(const std::string& uri) {
  const size_t at = uri.find("://");
  if (at == std::string::npos || at == 0) {
    return InvalidArgument("expected a URI such as scheme:///path, got '" + uri + "'");
  }
  return std::make_pair(uri.substr(0, at), uri.substr(at + 3));
}

}  // namespace kiln
