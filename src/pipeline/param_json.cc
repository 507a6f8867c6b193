#include "pipeline/param_json.h"

#include <type_traits>
#include <variant>
#include <vector>

namespace kiln::pipeline {

nlohmann::json ParamValueToJson(const ParamValue& value) {
  return std::visit(
      [](const auto& v) -> nlohmann::json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::vector<ParamValue>>) {
          nlohmann::json items = nlohmann::json::array();
          for (const ParamValue& item : v) items.push_back(ParamValueToJson(item));
          return items;
        } else {
          return nlohmann::json(v);
        }
      },
      value.value);
}

}  // namespace kiln::pipeline
