// One logged prediction request and its JSON-lines form in the request log's segment files.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace kiln::serving {

// One answered prediction request. A plain value; copy freely.
struct LoggedRequest {
  std::string request_id;    // unique; NewRequestId() (or a client's id passing IsValidRequestId)
  int64_t time_ms = 0;       // when it was answered, ms since the Unix epoch
  std::string deployment;    // deployment name (non-empty UTF-8)
  std::string model;         // registered model name (UTF-8)
  int64_t version = 0;       // model version that answered
  std::string inputs_json;   // the rows: a serialized JSON array of row objects
  std::string outputs_json;  // serialized JSON array, one object per row:
                             // {"predicted": "setosa" | 1.23, "probabilities": {...}?}
  double latency_ms = 0;
};

// The header fields of a logged line, read without parsing inputs and outputs.
struct RequestHeader {
  std::string request_id;
  int64_t time_ms = 0;
  std::string deployment;
  std::string model;
  int64_t version = 0;
};

// Appends `request` to `out` as one JSON line ending in '\n': the header fields first, then
// "inputs" and "outputs" copied verbatim (raw newlines replaced by spaces, which keeps valid
// JSON valid). Errors: kInvalidArgument naming the field for a bad request id, an empty
// deployment, or names that are not UTF-8. Does not validate inputs/outputs JSON (see
// RequestLog::Append). Thread-safe (pure).
Status EncodeRequestLine(const LoggedRequest& request, std::string& out);

// Parses only the header of a line made by EncodeRequestLine (without its '\n').
// Errors: kInvalidArgument for a line that is not one. Thread-safe (pure).
Result<RequestHeader> ParseRequestHeader(std::string_view line);

// Parses a whole line made by EncodeRequestLine; inputs_json and outputs_json come back
// re-serialized compactly. Errors: kInvalidArgument for a malformed line. Thread-safe (pure).
Result<LoggedRequest> ParseRequestLine(std::string_view line);

// Whether a line made by EncodeRequestLine belongs to the deployment whose name, as
// AppendJsonString writes it, is `quoted_deployment`. Cheap (no parsing). Thread-safe (pure).
bool LineHasDeployment(std::string_view line, std::string_view quoted_deployment);

// The time_ms of a line made by EncodeRequestLine, read without parsing; false if absent.
bool LineTimeMs(std::string_view line, int64_t& time_ms);

// Whether `line` is a whole line made by EncodeRequestLine (a complete JSON object starting with
// the request id), not a piece of one torn by a kill. Thread-safe (pure).
bool IsWholeRequestLine(std::string_view line);

// The request id of a line made by EncodeRequestLine, as written (ids need no escaping), read
// without parsing; empty if the line does not start like one. Thread-safe (pure).
std::string_view LineRequestId(std::string_view line);

// Appends `text` to `out` as a JSON string literal with quotes. Errors: kInvalidArgument
// (naming `field`) if `text` is not valid UTF-8. Thread-safe (pure).
Status AppendJsonString(std::string_view field, std::string_view text, std::string& out);

}  // namespace kiln::serving
