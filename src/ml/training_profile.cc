#include "ml/training_profile.h"

#include "ml/feature_profile.h"
#include "ml/table_rows.h"

namespace kiln::ml {

Result<nlohmann::json> ProfileColumns(const Table& table, const std::vector<std::string>& columns) {
  KILN_ASSIGN_OR_RETURN(Table chosen, table.Select(columns));
  if (chosen.num_rows() > kProfileRows) {
    std::vector<size_t> rows(kProfileRows);
    const double step = static_cast<double>(chosen.num_rows()) / kProfileRows;
    for (size_t i = 0; i < kProfileRows; ++i) rows[i] = static_cast<size_t>(i * step);
    chosen = TakeRows(chosen, rows);
  }
  KILN_ASSIGN_OR_RETURN(std::vector<FeatureProfile> profiles, ProfileFeatures(chosen, columns));
  return ProfileToJson(profiles);
}

nlohmann::json SelectProfiles(const nlohmann::json& profile,
                              const std::vector<std::string>& columns) {
  nlohmann::json out = nlohmann::json::array();
  if (!profile.is_array()) return out;
  for (const std::string& column : columns) {
    for (const nlohmann::json& p : profile) {
      if (p.is_object() && p.value("name", "") == column) {
        out.push_back(p);
        break;
      }
    }
  }
  return out;
}

}  // namespace kiln::ml
