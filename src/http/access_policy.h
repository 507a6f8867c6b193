// AccessPolicy: who may call a route, declared where the route is registered (Router::Add), so
// that every route has one by construction and the router can list them all (Router::Routes).
// Enforcing a policy is the caller's side: the router only keeps and reports it.
#pragma once

namespace kiln::http {

// Each policy but kPublic needs an authenticated caller when the server requires
// authentication; the project roles are ordered, each allowing what the ones before it allow.
enum class AccessPolicy {
  kPublic,  // anyone who can reach the server: health checks, the web UI's files
  kViewer,  // read the project's objects
  kRunner,  // also log to its experiments and start runs of its saved pipelines
  kEditor,  // also create and change everything in it, inline command steps included
  kOwner,   // also delete, and manage its members
  kAdmin,   // an instance admin (with a token that is not narrowed)
};

// The policy's name as listings and docs show it: kPublic -> "public". Never fails.
const char* AccessPolicyName(AccessPolicy policy);

}  // namespace kiln::http
