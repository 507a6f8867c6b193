#include "common/request_context.h"

#include <atomic>
#include <cctype>
#include <cstdint>
#include <random>

namespace kiln {
namespace {

void AppendHex(std::string& out, uint64_t value, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += kHex[(value >> shift) & 15];
}

uint32_t ProcessPrefix() {
  static const uint32_t prefix = std::random_device{}();
  return prefix;
}

}  // namespace

RequestContext RequestContext::InProcess() {
  RequestContext context;
  context.request_id = NewRequestId();
  return context;
}

std::string NewRequestId() {
  static std::atomic<uint64_t> counter{0};
  const uint64_t n = ++counter;
  std::string id;
  id.reserve(24);
  AppendHex(id, ProcessPrefix(), 8);
  id += '-';
  int digits = 6;
  while (digits < 16 && (n >> (digits * 4)) != 0) ++digits;
  AppendHex(id, n, digits);
  return id;
}

bool IsValidRequestId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok =
        std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

}  // namespace kiln
