// The training-data profile a model package carries (kiln-model.json "profile"): per input
// column of the signature, the bins of its training distribution (ml/feature_profile.h), which
// serving compares live traffic with (drift).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "ml/table.h"

namespace kiln::ml {

// Rows profiled at most: larger tables are profiled on evenly spaced rows (fractions of 100,000
// rows are accurate to well under a percent, and profiling stays a small part of training).
inline constexpr size_t kProfileRows = 100000;

// Profiles of `columns` of `table`, sampled to kProfileRows, as JSON (ProfileToJson). Errors:
// kInvalidArgument naming an unknown column.
Result<nlohmann::json> ProfileColumns(const Table& table, const std::vector<std::string>& columns);

// `profile` (a ProfileToJson array) restricted to `columns`, in their order; columns it lacks
// are left out. Never fails.
nlohmann::json SelectProfiles(const nlohmann::json& profile,
                              const std::vector<std::string>& columns);

}  // namespace kiln::ml
