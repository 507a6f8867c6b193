// RequestArgs: the arguments of an API call, from the JSON body and the query string, with
// typed getters whose errors name the field the way MLflow does
// ("Missing value for required parameter 'run_id'").
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/page.h"
#include "common/status.h"
#include "http/message.h"

namespace kiln::api {

class RequestArgs {
 public:
  // Parses the body (when non-empty) as a JSON object and merges the query parameters
  // (body fields win) and the router's path parameters (these win). Bare NaN/Infinity tokens are
  // accepted as Python's json module sends them. Errors: kInvalidArgument "Malformed JSON request
  // body: ..." or not an object.
  static Result<RequestArgs> FromRequest(const http::Request& request);
  // Arguments from one JSON object, e.g. an element of "metrics"; `path` prefixes field names
  // in messages ("metrics[3]").
  RequestArgs(nlohmann::json object, std::string path);

  bool Has(const std::string& name) const;
  // Required string; errors name the field when it is missing or not a string.
  Result<std::string> RequiredString(const std::string& name) const;
  // Optional string with a default.
  Result<std::string> OptionalString(const std::string& name,
                                     const std::string& fallback = "") const;
  // First present of several names (e.g. run_id, run_uuid).
  Result<std::string> RequiredStringOf(const std::vector<std::string>& names) const;
  Result<std::optional<int64_t>> OptionalInt(const std::string& name) const;
  Result<int64_t> RequiredInt(const std::string& name) const;
  // A double; accepts numbers and "NaN", "Infinity", "-Infinity" and numeric strings.
  Result<double> RequiredDouble(const std::string& name) const;
  Result<bool> OptionalBool(const std::string& name, bool fallback) const;
  // An array of strings (a repeated query parameter also works); empty when absent.
  Result<std::vector<std::string>> StringList(const std::string& name) const;
  // An array of objects; each element becomes RequestArgs with path "name[i]".
  Result<std::vector<RequestArgs>> ObjectList(const std::string& name) const;
  // A nested object, e.g. "dataset". Errors when missing or not an object.
  Result<RequestArgs> RequiredObject(const std::string& name) const;
  const nlohmann::json& object() const { return object_; }

 private:
  std::string FieldName(const std::string& name) const;
  Status WrongType(const std::string& name, const char* expected) const;

  nlohmann::json object_;
  std::string path_;
};

// Deepest nesting of JSON arrays and objects a request body may have.
inline constexpr int kMaxJsonDepth = 64;
// Most JSON values (see JsonShape::values) a request body of an API route may hold: parsed, every
// value costs ~50-100 bytes however small its text ("[]," is three bytes), so a body's count, not
// its size, bounds the memory parsing takes. The largest legitimate bodies (an MLflow log-batch:
// 1000 metrics, 100 params, 100 tags) hold ~6,000.
inline constexpr size_t kMaxJsonValues = 1000000;

// Fills filter, order_by, max_results (default `default_max_results`) and page_token.
Status ParseSearchArgs(const RequestArgs& args, int64_t default_max_results, SearchRequest& out);

// Replaces bare NaN, Infinity and -Infinity tokens outside strings by their quoted forms.
std::string QuoteNonFiniteTokens(const std::string& json_text);
// What a cheap scan of a JSON text (strings skipped, nothing allocated) finds before parsing it.
struct JsonShape {
  int depth = 0;  // deepest nesting of arrays and objects
  // Arrays and objects, plus one per comma between elements or members: for a valid text at
  // least the number of values a parser builds minus one, and at most twice that number.
  size_t values = 0;
};
// Scans `json_text` (valid or not) in one pass. Pure function.
JsonShape ScanJson(const std::string& json_text);
// Nesting depth of arrays and objects in `json_text` (strings skipped).
int JsonDepth(const std::string& json_text);
// OK when `json_text` nests at most `max_depth` deep and holds at most `max_values` values (see
// JsonShape). Errors: kInvalidArgument "Malformed JSON request body: ..." naming the limit.
Status CheckJsonShape(const std::string& json_text, int max_depth, size_t max_values);

}  // namespace kiln::api
