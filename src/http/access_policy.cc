#include "http/access_policy.h"

namespace kiln::http {

const char* AccessPolicyName(AccessPolicy policy) {
  switch (policy) {
    case AccessPolicy::kPublic:
      return "public";
    case AccessPolicy::kViewer:
      return "viewer";
    case AccessPolicy::kRunner:
      return "runner";
    case AccessPolicy::kEditor:
      return "editor";
    case AccessPolicy::kOwner:
      return "owner";
    case AccessPolicy::kAdmin:
      return "admin";
  }
  return "unknown";
}

}  // namespace kiln::http
