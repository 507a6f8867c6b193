// JSON form of FeatureProfile (declared in ml/feature_profile.h).
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "ml/feature_profile.h"

namespace kiln::ml {
namespace {

using nlohmann::json;

// Tolerance for the fractions summing to 1 (they are rounded doubles).
constexpr double kSumTolerance = 1e-6;

Status Bad(size_t index, const std::string& field, const std::string& why) {
  return InvalidArgument("feature profile: [" + std::to_string(index) + "]." + field + ": " + why);
}

bool IsFraction(const json& v) {
  return v.is_number() && std::isfinite(v.get<double>()) && v.get<double>() >= 0 &&
         v.get<double>() <= 1;
}

Status ReadEdges(const json& j, size_t index, FeatureProfile& p) {
  auto it = j.find("edges");
  if (it == j.end() || !it->is_array()) return Bad(index, "edges", "must be an array of numbers");
  for (const auto& e : *it) {
    if (!e.is_number() || !std::isfinite(e.get<double>())) {
      return Bad(index, "edges", "must be finite numbers");
    }
    if (!p.edges.empty() && e.get<double>() <= p.edges.back()) {
      return Bad(index, "edges", "must be strictly ascending");
    }
    p.edges.push_back(e.get<double>());
  }
  return Status::Ok();
}

Status ReadCategories(const json& j, size_t index, FeatureProfile& p) {
  auto it = j.find("categories");
  if (it == j.end() || !it->is_array()) {
    return Bad(index, "categories", "must be an array of strings");
  }
  std::set<std::string> seen;
  for (const auto& c : *it) {
    if (!c.is_string()) return Bad(index, "categories", "must be strings");
    const std::string& value = c.get_ref<const std::string&>();
    if (!seen.insert(value).second) {
      return Bad(index, "categories", std::string("'").append(value).append("' is repeated"));
    }
    p.categories.push_back(value);
  }
  return Status::Ok();
}

Status ReadFractions(const json& j, size_t index, FeatureProfile& p) {
  auto it = j.find("fractions");
  if (it == j.end() || !it->is_array() || it->size() != p.NumBins()) {
    return Bad(index, "fractions",
               "must be an array of " + std::to_string(p.NumBins()) + " numbers (one per bin)");
  }
  double sum = 0;
  for (const auto& f : *it) {
    if (!IsFraction(f)) return Bad(index, "fractions", "must be numbers in [0, 1]");
    p.fractions.push_back(f.get<double>());
    sum += f.get<double>();
  }
  auto missing = j.find("missing");
  if (missing == j.end() || !IsFraction(*missing)) {
    return Bad(index, "missing", "must be a number in [0, 1]");
  }
  p.missing_fraction = missing->get<double>();
  sum += p.missing_fraction;
  if (p.rows > 0 && std::fabs(sum - 1) > kSumTolerance) {
    return Bad(index, "fractions", "with 'missing' they must sum to 1");
  }
  return Status::Ok();
}

Result<FeatureProfile> ReadFeature(const json& j, size_t index) {
  if (!j.is_object()) return Bad(index, "(entry)", "must be an object");
  FeatureProfile p;
  auto name = j.find("name");
  if (name == j.end() || !name->is_string() || name->get<std::string>().empty()) {
    return Bad(index, "name", "must be a non-empty string");
  }
  p.name = name->get<std::string>();
  auto rows = j.find("rows");
  if (rows == j.end() || !rows->is_number_integer() || rows->get<int64_t>() < 0) {
    return Bad(index, "rows", "must be a non-negative integer");
  }
  p.rows = rows->get<int64_t>();
  auto kind_it = j.find("kind");
  const std::string kind =
      kind_it != j.end() && kind_it->is_string() ? kind_it->get<std::string>() : "";
  if (kind == "numeric") {
    p.kind = ProfileKind::kNumeric;
    KILN_RETURN_IF_ERROR(ReadEdges(j, index, p));
  } else if (kind == "categorical") {
    p.kind = ProfileKind::kCategorical;
    KILN_RETURN_IF_ERROR(ReadCategories(j, index, p));
  } else {
    return Bad(index, "kind", "must be \"numeric\" or \"categorical\"");
  }
  KILN_RETURN_IF_ERROR(ReadFractions(j, index, p));
  return p;
}

}  // namespace

nlohmann::json ProfileToJson(const std::vector<FeatureProfile>& profile) {
  json out = json::array();
  for (const auto& p : profile) {
    json f = {{"name", p.name}, {"kind", ProfileKindName(p.kind)}, {"rows", p.rows}};
    if (p.kind == ProfileKind::kNumeric) {
      f["edges"] = p.edges;
    } else {
      f["categories"] = p.categories;
    }
    f["fractions"] = p.fractions;
    f["missing"] = p.missing_fraction;
    out.push_back(std::move(f));
  }
  return out;
}

Result<std::vector<FeatureProfile>> ProfileFromJson(const nlohmann::json& json) {
  if (!json.is_array()) return InvalidArgument("feature profile: must be a JSON array");
  std::vector<FeatureProfile> profile;
  std::set<std::string> names;
  for (size_t i = 0; i < json.size(); ++i) {
    KILN_ASSIGN_OR_RETURN(FeatureProfile p, ReadFeature(json[i], i));
    if (!names.insert(p.name).second) return Bad(i, "name", "'" + p.name + "' is repeated");
    profile.push_back(std::move(p));
  }
  return profile;
}

}  // namespace kiln::ml
