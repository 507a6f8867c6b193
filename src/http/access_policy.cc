#include "http/access_policy.h"

namespace kiln::http {

const char* AccessPolicyName(AccessPolicy policy) {
  switch (policy) {
    case AccessPolicy::kPublic:
      return "public";
  }
  return "unknown";
}

}  // namespace kiln::http
