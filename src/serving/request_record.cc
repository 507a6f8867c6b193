#include "serving/request_record.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

#include "serving/request_id.h"

namespace kiln::serving {
namespace {

// The marker that ends the header: it cannot occur earlier, since the header's strings are
// JSON-escaped and so contain no bare '"'.
constexpr std::string_view kInputsKey = ",\"inputs\":";

// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid.
size_t Utf8Length(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (n == 0 || i + n > s.size() || (n == 2 && c < 0xc2)) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return 0;
  }
  return n;
}

void AppendInt(int64_t value, std::string& out) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
}

void AppendDouble(double value, std::string& out) {
  if (!std::isfinite(value)) value = 0;  // JSON has no NaN or infinity
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
}

// Appends serialized JSON, turning raw line breaks (only legal as whitespace) into spaces.
void AppendRawJson(std::string_view json, std::string& out) {
  const size_t start = out.size();
  out.append(json.empty() ? std::string_view("null") : json);
  for (size_t i = start; i < out.size(); ++i) {
    if (out[i] == '\n' || out[i] == '\r') out[i] = ' ';
  }
}

nlohmann::json ParseJson(std::string_view text) {
  return nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
}

}  // namespace

Status AppendJsonString(std::string_view field, std::string_view text, std::string& out) {
  static const char kHex[] = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      size_t n = Utf8Length(text, i);
      if (n == 0) return InvalidArgument(std::string(field) + " is not valid UTF-8");
      out.append(text.substr(i, n));
      i += n;
      continue;
    }
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
    ++i;
  }
  out += '"';
  return Status::Ok();
}

Status EncodeRequestLine(const LoggedRequest& request, std::string& out) {
  if (!IsValidRequestId(request.request_id)) {
    return InvalidArgument("request_id '" + request.request_id +
                           "' must be 1 to 128 characters of [A-Za-z0-9._~-]");
  }
  if (request.deployment.empty()) return InvalidArgument("deployment must not be empty");
  out.reserve(out.size() + 96 + request.deployment.size() + request.model.size() +
              request.inputs_json.size() + request.outputs_json.size());
  out += "{\"request_id\":\"";
  out += request.request_id;
  out += "\",\"time_ms\":";
  AppendInt(request.time_ms, out);
  out += ",\"deployment\":";
  KILN_RETURN_IF_ERROR(AppendJsonString("deployment", request.deployment, out));
  out += ",\"model\":";
  KILN_RETURN_IF_ERROR(AppendJsonString("model", request.model, out));
  out += ",\"version\":";
  AppendInt(request.version, out);
  out += ",\"latency_ms\":";
  AppendDouble(request.latency_ms, out);
  out += kInputsKey;
  AppendRawJson(request.inputs_json, out);
  out += ",\"outputs\":";
  AppendRawJson(request.outputs_json, out);
  out += "}\n";
  return Status::Ok();
}

namespace {

// Reads the header fields out of a parsed object (whole line or header only).
template <typename Json>
Result<RequestHeader> HeaderFromJson(const Json& j) {
  if (!j.is_object()) return InvalidArgument("request log line is not a JSON object");
  auto id = j.find("request_id"), time = j.find("time_ms"), dep = j.find("deployment"),
       model = j.find("model"), version = j.find("version");
  if (id == j.end() || !id->is_string() || time == j.end() || !time->is_number_integer() ||
      dep == j.end() || !dep->is_string() || model == j.end() || !model->is_string() ||
      version == j.end() || !version->is_number_integer()) {
    return InvalidArgument("request log line lacks a header field");
  }
  RequestHeader h;
  h.request_id = id->template get<std::string>();
  h.time_ms = time->template get<int64_t>();
  h.deployment = dep->template get<std::string>();
  h.model = model->template get<std::string>();
  h.version = version->template get<int64_t>();
  return h;
}

}  // namespace

bool LineHasDeployment(std::string_view line, std::string_view quoted_deployment) {
  // The first occurrence is the header's: the request id before it holds no '"'.
  constexpr std::string_view kKey = ",\"deployment\":";
  size_t pos = line.find(kKey);
  if (pos == std::string_view::npos) return false;
  std::string_view rest = line.substr(pos + kKey.size());
  return rest.size() > quoted_deployment.size() &&
         rest.substr(0, quoted_deployment.size()) == quoted_deployment &&
         rest[quoted_deployment.size()] == ',';
}

bool LineTimeMs(std::string_view line, int64_t& time_ms) {
  constexpr std::string_view kKey = ",\"time_ms\":";
  size_t pos = line.find(kKey);
  if (pos == std::string_view::npos) return false;
  const char* begin = line.data() + pos + kKey.size();
  auto [end, ec] = std::from_chars(begin, line.data() + line.size(), time_ms);
  return ec == std::errc() && end != begin;
}

bool IsWholeRequestLine(std::string_view line) {
  return !LineRequestId(line).empty() && nlohmann::json::accept(line.begin(), line.end());
}

std::string_view LineRequestId(std::string_view line) {
  constexpr std::string_view kStart = "{\"request_id\":\"";
  if (line.substr(0, kStart.size()) != kStart) return {};
  const size_t end = line.find('"', kStart.size());
  return end == std::string_view::npos ? std::string_view()
                                       : line.substr(kStart.size(), end - kStart.size());
}

Result<RequestHeader> ParseRequestHeader(std::string_view line) {
  const size_t end = line.find(kInputsKey);
  if (end == std::string_view::npos) return InvalidArgument("request log line has no inputs");
  std::string header(line.substr(0, end));
  header += '}';
  return HeaderFromJson(ParseJson(header));
}

Result<LoggedRequest> ParseRequestLine(std::string_view line) {
  // Ordered, so inputs and outputs come back with their keys in the caller's order.
  nlohmann::ordered_json j =
      nlohmann::ordered_json::parse(line.begin(), line.end(), nullptr, false);
  if (j.is_discarded()) return InvalidArgument("request log line is not valid JSON");
  KILN_ASSIGN_OR_RETURN(RequestHeader h, HeaderFromJson(j));
  LoggedRequest r;
  r.request_id = std::move(h.request_id);
  r.time_ms = h.time_ms;
  r.deployment = std::move(h.deployment);
  r.model = std::move(h.model);
  r.version = h.version;
  if (auto it = j.find("latency_ms"); it != j.end() && it->is_number()) {
    r.latency_ms = it->get<double>();
  }
  if (auto it = j.find("inputs"); it != j.end()) r.inputs_json = it->dump();
  if (auto it = j.find("outputs"); it != j.end()) r.outputs_json = it->dump();
  return r;
}

}  // namespace kiln::serving
