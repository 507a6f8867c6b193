// AccessPolicy: who may call a route, declared where the route is registered (Router::Add), so
// that every route has one by construction and the router can list them all (Router::Routes).
// Enforcing a policy is the caller's side: the router only keeps and reports it.
#pragma once

namespace kiln::http {

enum class AccessPolicy {
  kPublic,  // anyone who can reach the server (the only policy until the server has users)
};

// The policy's name as listings and docs show it: kPublic -> "public". Never fails.
const char* AccessPolicyName(AccessPolicy policy);

}  // namespace kiln::http
