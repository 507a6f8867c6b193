#include "cli/command_hint.h"

#include "common/closest_word.h"

namespace kiln::cli {
std::string UnknownCommandMessage(const std::string& path, const std::string& word,
                                  const std::vector<std::string>& commands) {
  std::string message = word.empty() ? "'" + path + "' needs a command"
                                     : "unknown command '" + word + "' for '" + path + "'";
  const std::string closest = ClosestWord(word, commands);
  if (!closest.empty()) message += "; did you mean '" + closest + "'?";
  std::string list;
  for (const std::string& command : commands) list += (list.empty() ? "" : ", ") + command;
  return message + " (commands: " + list + ")";
}

}  // namespace kiln::cli
