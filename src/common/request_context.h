// RequestContext: who asks, from where, and until when, for one call into Kiln. The HTTP server
// makes one per request; an in-process caller (the CLI over a data folder, tests) uses
// InProcess(). Handlers receive it next to their arguments and pass it to the domain where the
// caller matters (permissions, audit, deadlines).
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace kiln {

// The authenticated caller. Filled by authentication once a server has users; empty before.
struct Identity {
  std::string user;     // the user's name
  bool admin = false;   // an instance admin: may do everything everywhere
  std::string project;  // the one project a token is narrowed to, or "" for every project
  std::string role;     // the role a token is narrowed to, or "" for the user's own roles
  // The caller's effective role in the request's project ("viewer" ... "owner", "" for none),
  // once the server's guard has found it.
  std::string project_role;
};

struct RequestContext {
  using Clock = std::chrono::steady_clock;

  // Identifies the request in logs and error answers: the client's X-Request-Id when it is a
  // valid one (IsValidRequestId), else one made by NewRequestId.
  std::string request_id;
  // The network client's address ("127.0.0.1", "::1"); empty for an in-process call, which no
  // network client can send.
  std::string peer;
  // The caller, once authenticated; nullopt for anonymous and in-process calls.
  std::optional<Identity> identity;
  // When the caller stops waiting; work past it may be abandoned. Clock::time_point::max() for
  // no deadline.
  Clock::time_point deadline = Clock::time_point::max();

  // A context for work started inside the process: no peer, no identity, no deadline, a new id.
  static RequestContext InProcess();
  // Whether the deadline has passed.
  bool Expired() const { return Clock::now() >= deadline; }
};

// A new request id: 8 hex digits fixed per process, '-', a counter in hex ("3f2a9c01-00002a").
// Thread-safe; cheap (no allocation beyond the returned string).
std::string NewRequestId();
// Whether `id` may be taken from a client as a request id: 1 to 64 characters, each a letter,
// digit, '-', '_', '.' or ':'. Pure function.
bool IsValidRequestId(const std::string& id);

}  // namespace kiln
