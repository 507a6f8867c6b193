#include "serving/model_ref.h"

#include <algorithm>
#include <cctype>

namespace kiln::serving {
namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && s.size() <= 15 &&
         std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(c) != 0; });
}

}  // namespace

std::string ModelRef::ToString() const {
  return follows_alias() ? name + "@" + alias : name + "/" + std::to_string(version);
}

Result<ModelRef> ParseModelRef(std::string_view text, std::string_view field) {
  auto bad = [&] {
    return InvalidArgument("'" + std::string(field) +
                           "': expected MODEL@ALIAS or MODEL/VERSION, got '" + std::string(text) +
                           "'");
  };
  const size_t at = text.rfind('@'), slash = text.rfind('/');
  const size_t cut = at != std::string_view::npos ? at : slash;
  if (cut == std::string_view::npos || cut == 0 || cut + 1 == text.size()) return bad();
  ModelRef ref;
  ref.name = std::string(text.substr(0, cut));
  const std::string_view which = text.substr(cut + 1);
  if (at == std::string_view::npos || AllDigits(which)) {
    if (!AllDigits(which) || std::stoll(std::string(which)) <= 0) return bad();
    ref.version = std::stoll(std::string(which));
  } else {
    ref.alias = std::string(which);
  }
  return ref;
}

}  // namespace kiln::serving
