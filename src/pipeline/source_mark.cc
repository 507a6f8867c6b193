#include "pipeline/source_mark.h"

namespace kiln::pipeline {

Status MarkedError(std::string_view file, SourceMark mark, std::string_view path,
                   std::string_view what) {
  std::string message(file);
  message += ":" + std::to_string(mark.line) + ":" + std::to_string(mark.column) + ": ";
  if (!path.empty()) {
    message.append(path);
    message += ": ";
  }
  message.append(what);
  return InvalidArgument(std::move(message));
}

std::string JoinPath(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  std::string joined(path);
  joined += ".";
  joined.append(key);
  return joined;
}

}  // namespace kiln::pipeline
