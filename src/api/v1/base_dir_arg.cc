#include "api/v1/base_dir_arg.h"

#include <filesystem>

namespace kiln::api::v1 {

Result<std::string> OptionalBaseDirArg(const RequestArgs& args) {
  KILN_ASSIGN_OR_RETURN(std::string base_dir, args.OptionalString("base_dir"));
  if (!base_dir.empty() && !std::filesystem::path(base_dir).is_absolute()) {
    return InvalidArgument("base_dir must be an absolute path, got '" + base_dir + "'");
  }
  return base_dir;
}

}  // namespace kiln::api::v1
