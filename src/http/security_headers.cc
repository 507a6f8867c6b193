#include "http/security_headers.h"

#include <boost/beast/core/string.hpp>

namespace kiln::http {

bool SetsOwnCsp(const Response& response) {
  for (const auto& [name, value] : response.headers) {
    if (boost::beast::iequals(name, kCspName)) return true;
  }
  return false;
}

}  // namespace kiln::http
