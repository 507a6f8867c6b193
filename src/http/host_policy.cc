#include "http/host_policy.h"

#include <boost/asio/ip/address.hpp>
#include <boost/beast/core/string.hpp>

namespace kiln::http {
namespace {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

bool IsIpv6Char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' ||
         c == '.';
}

bool AllDigits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::optional<boost::asio::ip::address> ParseAddress(std::string_view name) {
  boost::system::error_code ec;
  boost::asio::ip::address address = boost::asio::ip::make_address(std::string(name), ec);
  if (ec) return std::nullopt;
  return address;
}

// A pattern or listen address without its port and IPv6 brackets; '*' is kept.
std::string StripPort(std::string_view text) {
  if (text.starts_with('[')) {
    const size_t close = text.find(']');
    return std::string(text.substr(1, close == std::string_view::npos ? text.npos : close - 1));
  }
  const size_t colon = text.find(':');
  // Two colons or more: a bare IPv6 address, which has no port.
  if (colon == std::string_view::npos || text.find(':', colon + 1) != std::string_view::npos) {
    return std::string(text);
  }
  return std::string(text.substr(0, colon));
}

}  // namespace

std::optional<std::string_view> HostNameOf(std::string_view host_header) {
  std::string_view name;
  std::string_view rest;
  if (host_header.starts_with('[')) {
    const size_t close = host_header.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    name = host_header.substr(1, close - 1);
    rest = host_header.substr(close + 1);
    for (char c : name) {
      if (!IsIpv6Char(c)) return std::nullopt;
    }
  } else {
    const size_t colon = host_header.find(':');
    name = host_header.substr(0, colon);
    rest = colon == std::string_view::npos ? std::string_view() : host_header.substr(colon);
    for (char c : name) {
      if (!IsNameChar(c)) return std::nullopt;
    }
  }
  if (name.empty()) return std::nullopt;
  if (!rest.empty() && (rest.front() != ':' || !AllDigits(rest.substr(1)))) return std::nullopt;
  return name;
}

bool IsIpLiteral(std::string_view name) { return ParseAddress(name).has_value(); }

bool IsLoopbackName(std::string_view name) {
  if (boost::beast::iequals(name, "localhost")) return true;
  std::optional<boost::asio::ip::address> address = ParseAddress(name);
  return address && address->is_loopback();
}

bool IsWildcardAddress(std::string_view address) {
  return address.empty() || address == "0.0.0.0" || address == "::" || address == "[::]";
}

bool MatchesHostPattern(std::string_view pattern, std::string_view name) {
  if (pattern == "*") return true;
  if (pattern.starts_with("*.")) {
    const std::string_view suffix = pattern.substr(1);  // ".example.com"
    return name.size() > suffix.size() &&
           boost::beast::iequals(name.substr(name.size() - suffix.size()), suffix);
  }
  return boost::beast::iequals(pattern, name);
}

HostAllowList::HostAllowList(std::string_view listen_host, const std::vector<std::string>& patterns)
    : listen_host_(StripPort(listen_host)), any_ip_literal_(IsWildcardAddress(listen_host)) {
  for (const std::string& pattern : patterns) {
    std::string stripped = StripPort(pattern);
    if (!stripped.empty()) patterns_.push_back(std::move(stripped));
  }
}

bool HostAllowList::Allows(std::string_view host_header) const {
  std::optional<std::string_view> name = HostNameOf(host_header);
  if (!name) return false;
  // The common case first: clients name the address the server listens on.
  if (boost::beast::iequals(*name, listen_host_)) return true;
  if (IsLoopbackName(*name)) return true;
  for (const std::string& pattern : patterns_) {
    if (MatchesHostPattern(pattern, *name)) return true;
  }
  return any_ip_literal_ && IsIpLiteral(*name);
}

}  // namespace kiln::http
