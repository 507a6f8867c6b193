// Status and Result<T>: the one error policy of Kiln.
// Expected failures are returned, never thrown. The code is mapped to HTTP statuses and
// MLflow error codes once, in api/error_mapping.h.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace kiln {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // the caller sent something malformed or out of range
  kNotFound,            // a named entity does not exist
  kAlreadyExists,       // creating something whose name or id is taken
  kFailedPrecondition,  // the entity is in the wrong state (e.g. a deleted run)
  kResourceExhausted,   // over a size or count limit
  kUnauthenticated,     // the caller did not say who it is, or its credentials are not valid
  kPermissionDenied,    // the caller may not do this here (e.g. a setting of the server forbids it)
  kUnavailable,         // a dependency is temporarily unreachable; retry may help
  kInternal,            // a bug or an environment failure (disk, database)
};

// Name of a code, e.g. "kNotFound" -> "NOT_FOUND". Never fails.
const char* StatusCodeName(StatusCode code);

// The outcome of an operation: OK, or a code and a human-readable message.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "NOT_FOUND: message", for logs.
  std::string ToString() const;
  // Explicitly drops a status whose failure does not matter to the caller.
  void IgnoreError() const {}

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

Status InvalidArgument(std::string message);
Status NotFound(std::string message);
Status AlreadyExists(std::string message);
Status FailedPrecondition(std::string message);
Status ResourceExhausted(std::string message);
Status Unauthenticated(std::string message);
Status PermissionDenied(std::string message);
Status Unavailable(std::string message);
Status Internal(std::string message);

// A value of T or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : data_(std::move(status)) {}  // NOLINT: must not be OK

  bool ok() const { return std::holds_alternative<T>(data_); }
  // The error; Status::Ok() when a value is held.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(data_); }
  // The value; only valid when ok().
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace kiln

#define KILN_CONCAT_INNER_(a, b) a##b
#define KILN_CONCAT_(a, b) KILN_CONCAT_INNER_(a, b)

// Returns the status from the enclosing function if `expr` is not OK.
#define KILN_RETURN_IF_ERROR(expr)               \
  do {                                           \
    ::kiln::Status kiln_status_ = (expr);        \
    if (!kiln_status_.ok()) return kiln_status_; \
  } while (0)

// `lhs = value of expr`, or returns its status from the enclosing function.
#define KILN_ASSIGN_OR_RETURN(lhs, expr) \
  KILN_ASSIGN_OR_RETURN_IMPL_(KILN_CONCAT_(kiln_result_, __LINE__), lhs, expr)
#define KILN_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(tmp).value()
