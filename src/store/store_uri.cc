#include "store/store_uri.h"

#include "common/percent.h"
#include "common/scheme_registry.h"

namespace kiln::store {
namespace {

// "sqlite://" + "/" + path: the path after the third slash, relative unless it starts with '/'.
Result<std::string> SqlitePath(const std::string& rest) {
  if (rest.size() < 2 || rest.front() != '/') {
    return InvalidArgument("a SQLite URI is sqlite:///PATH (relative) or sqlite:////PATH " +
                           std::string("(absolute), got 'sqlite://") + rest + "'");
  }
  std::optional<std::string> path = PercentDecode(rest.substr(1), false);
  if (!path || path->find('\0') != std::string::npos) {
    return InvalidArgument("a malformed escape in 'sqlite://" + rest + "'");
  }
  return *path;
}

const SchemeRegistry<std::unique_ptr<MetaStore>>& Registry() {
  static const SchemeRegistry<std::unique_ptr<MetaStore>> registry = [] {
    SchemeRegistry<std::unique_ptr<MetaStore>> r("metadata store");
    r.Add(
        "sqlite", [](const std::string& rest) { return SqlitePath(rest).status(); },
        [](const std::string& rest) -> Result<std::unique_ptr<MetaStore>> {
          KILN_ASSIGN_OR_RETURN(std::string path, SqlitePath(rest));
          return OpenSqliteStore(path);
        });
    return r;
  }();
  return registry;
}

}  // namespace

Status CheckMetaStoreUri(const std::string& uri) { return Registry().Check(uri); }

Result<std::unique_ptr<MetaStore>> OpenMetaStore(const std::string& uri) {
  return Registry().Open(uri);
}

std::string SqliteUri(const std::string& path) { return "sqlite:///" + path; }

}  // namespace kiln::store
