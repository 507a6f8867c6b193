#include "api/request_args.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace kiln::api {

using nlohmann::json;

std::string QuoteNonFiniteTokens(const std::string& text) {
  if (text.find_first_of("NI") == std::string::npos) return text;
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size())
        out += text[++i];
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    bool matched = false;
    for (const char* token : {"-Infinity", "Infinity", "NaN"}) {
      const size_t n = std::char_traits<char>::length(token);
      if (text.compare(i, n, token) == 0) {
        out += '"' + std::string(token) + '"';
        i += n - 1;
        matched = true;
        break;
      }
    }
    if (!matched) out += c;
  }
  return out;
}

JsonShape ScanJson(const std::string& text) {
  JsonShape shape;
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      shape.depth = std::max(shape.depth, ++depth);
      ++shape.values;
    } else if (c == ']' || c == '}') {
      --depth;
    } else if (c == ',') {
      ++shape.values;
    }
  }
  return shape;
}

int JsonDepth(const std::string& text) { return ScanJson(text).depth; }

Status CheckJsonShape(const std::string& text, int max_depth, size_t max_values) {
  const JsonShape shape = ScanJson(text);
  // Deep nesting would make rendering and error messages recurse without bound.
  if (shape.depth > max_depth) {
    return InvalidArgument("Malformed JSON request body: nested deeper than " +
                           std::to_string(max_depth) + " levels");
  }
  if (shape.values > max_values) {
    return InvalidArgument("Malformed JSON request body: more than " + std::to_string(max_values) +
                           " values (arrays, objects and list items); send less at once");
  }
  return Status::Ok();
}

namespace {

// Query parameters become strings, repeated ones arrays of strings.
void MergeQuery(const http::Request& request, json& object) {
  for (const auto& [key, value] : request.query) {
    if (object.contains(key) && !object[key].is_array() && request.query.count(key) == 1) continue;
    if (request.query.count(key) > 1) {
      if (!object[key].is_array()) object[key] = json::array();
      object[key].push_back(value);
    } else {
      object[key] = value;
    }
  }
}

}  // namespace

Status ParseSearchArgs(const RequestArgs& args, int64_t default_max_results, SearchRequest& out) {
  KILN_ASSIGN_OR_RETURN(out.filter, args.OptionalString("filter"));
  KILN_ASSIGN_OR_RETURN(out.order_by, args.StringList("order_by"));
  KILN_ASSIGN_OR_RETURN(std::optional<int64_t> max_results, args.OptionalInt("max_results"));
  out.max_results = max_results.value_or(default_max_results);
  KILN_ASSIGN_OR_RETURN(out.page_token, args.OptionalString("page_token"));
  return Status::Ok();
}

Result<RequestArgs> RequestArgs::FromRequest(const http::Request& request) {
  json object = json::object();
  if (!request.body.empty() && request.body.find_first_not_of(" \t\r\n") != std::string::npos) {
    KILN_RETURN_IF_ERROR(CheckJsonShape(request.body, kMaxJsonDepth, kMaxJsonValues));
    object = json::parse(QuoteNonFiniteTokens(request.body), nullptr, /*allow_exceptions=*/false);
    if (object.is_discarded()) {
      return InvalidArgument("Malformed JSON request body: the body is not valid JSON");
    }
    if (!object.is_object()) {
      return InvalidArgument("Malformed JSON request body: expected a JSON object");
    }
  }
  json query = json::object();
  MergeQuery(request, query);
  for (auto& [key, value] : query.items()) {
    if (!object.contains(key)) object[key] = value;
  }
  for (const auto& [key, value] : request.path_params) object[key] = value;
  RequestArgs args(std::move(object), "");
  return args;
}

RequestArgs::RequestArgs(json object, std::string path)
    : object_(std::move(object)), path_(std::move(path)) {}

std::string RequestArgs::FieldName(const std::string& name) const {
  return path_.empty() ? name : path_ + "." + name;
}

Status RequestArgs::WrongType(const std::string& name, const char* expected) const {
  std::string shown = object_.at(name).dump();
  if (shown.size() > 100) shown = shown.substr(0, 100) + "...";
  return InvalidArgument("Invalid value " + shown + " for parameter '" + FieldName(name) +
                         "' supplied: expected " + expected);
}

bool RequestArgs::Has(const std::string& name) const {
  return object_.contains(name) && !object_.at(name).is_null();
}

Result<std::string> RequestArgs::RequiredString(const std::string& name) const {
  if (!Has(name)) {
    return InvalidArgument("Missing value for required parameter '" + FieldName(name) + "'.");
  }
  const json& v = object_.at(name);
  if (!v.is_string()) return WrongType(name, "a string");
  return v.get<std::string>();
}

Result<std::string> RequestArgs::OptionalString(const std::string& name,
                                                const std::string& fallback) const {
  if (!Has(name)) return fallback;
  return RequiredString(name);
}

Result<std::string> RequestArgs::RequiredStringOf(const std::vector<std::string>& names) const {
  for (const std::string& name : names) {
    if (Has(name)) return RequiredString(name);
  }
  return InvalidArgument("Missing value for required parameter '" + FieldName(names.front()) +
                         "'.");
}

Result<std::optional<int64_t>> RequestArgs::OptionalInt(const std::string& name) const {
  if (!Has(name)) return std::optional<int64_t>();
  const json& v = object_.at(name);
  // Above INT64_MAX an unsigned value would wrap to a negative number.
  const bool too_big =
      v.is_number_unsigned() &&
      v.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (v.is_number_integer() && !too_big) return std::optional<int64_t>(v.get<int64_t>());
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (d == std::floor(d) && std::abs(d) < 9.2e18) return std::optional<int64_t>(int64_t(d));
  }
  if (v.is_string()) {  // protobuf JSON sends int64 as strings; so do query parameters
    const std::string s = v.get<std::string>();
    int64_t n = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (!s.empty() && ec == std::errc() && end == s.data() + s.size())
      return std::optional<int64_t>(n);
  }
  return WrongType(name, "an integer");
}

Result<int64_t> RequestArgs::RequiredInt(const std::string& name) const {
  KILN_ASSIGN_OR_RETURN(std::optional<int64_t> v, OptionalInt(name));
  if (!v) return InvalidArgument("Missing value for required parameter '" + FieldName(name) + "'.");
  return *v;
}

Result<double> RequestArgs::RequiredDouble(const std::string& name) const {
  if (!Has(name)) {
    return InvalidArgument("Missing value for required parameter '" + FieldName(name) + "'.");
  }
  const json& v = object_.at(name);
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (s == "NaN" || s == "nan") return std::numeric_limits<double>::quiet_NaN();
    if (s == "Infinity" || s == "inf") return std::numeric_limits<double>::infinity();
    if (s == "-Infinity" || s == "-inf") return -std::numeric_limits<double>::infinity();
    double d = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (!s.empty() && ec == std::errc() && end == s.data() + s.size()) return d;
  }
  return WrongType(name, "a number");
}

Result<bool> RequestArgs::OptionalBool(const std::string& name, bool fallback) const {
  if (!Has(name)) return fallback;
  const json& v = object_.at(name);
  if (v.is_boolean()) return v.get<bool>();
  if (v == "true" || v == "True") return true;
  if (v == "false" || v == "False") return false;
  return WrongType(name, "a boolean");
}

Result<std::vector<std::string>> RequestArgs::StringList(const std::string& name) const {
  std::vector<std::string> out;
  if (!Has(name)) return out;
  const json& v = object_.at(name);
  if (v.is_string()) return std::vector<std::string>{v.get<std::string>()};
  if (!v.is_array()) return WrongType(name, "a list of strings");
  for (const json& item : v) {
    if (!item.is_string()) return WrongType(name, "a list of strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<std::vector<RequestArgs>> RequestArgs::ObjectList(const std::string& name) const {
  std::vector<RequestArgs> out;
  if (!Has(name)) return out;
  const json& v = object_.at(name);
  if (!v.is_array()) return WrongType(name, "a list of objects");
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_object()) return WrongType(name, "a list of objects");
    out.emplace_back(v[i], FieldName(name) + "[" + std::to_string(i) + "]");
  }
  return out;
}

Result<RequestArgs> RequestArgs::RequiredObject(const std::string& name) const {
  if (!Has(name)) {
    return InvalidArgument("Missing value for required parameter '" + FieldName(name) + "'.");
  }
  if (!object_.at(name).is_object()) return WrongType(name, "an object");
  return RequestArgs(object_.at(name), FieldName(name));
}

}  // namespace kiln::api
