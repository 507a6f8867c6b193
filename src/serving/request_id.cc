#include "serving/request_id.h"

#include <openssl/rand.h>
#include <pthread.h>

#include <atomic>
#include <chrono>
#include <random>

namespace kiln::serving {
namespace {

constexpr char kBase32[] = "0123456789abcdefghjkmnpqrstvwxyz";

// Writes the low 5*`chars` bits of `value` as base32, most significant first.
void PutBase32(uint64_t value, int chars, char* out) {
  for (int i = chars - 1; i >= 0; --i) {
    out[i] = kBase32[value & 31];
    value >>= 5;
  }
}

// 40 random bits.
uint64_t DrawPrefix() {
  uint64_t bits = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&bits), sizeof bits) != 1) {
    std::random_device device;
    bits = (uint64_t{device()} << 32) ^ device();
  }
  return bits & ((uint64_t{1} << 40) - 1);
}

std::atomic<uint64_t> g_prefix{0};
std::atomic<bool> g_stale{true};  // the prefix must be (re)drawn before use

// Runs in a forked child, which would otherwise repeat the parent's prefix and counter. Only
// sets a flag: drawing randomness here could deadlock on a lock another thread held.
void MarkStale() { g_stale.store(true, std::memory_order_relaxed); }

// The prefix, drawn once per process (and again after a fork).
uint64_t ProcessPrefix() {
  static const bool registered = [] {
    return ::pthread_atfork(nullptr, nullptr, &MarkStale) == 0;
  }();
  (void)registered;
  // Racing threads may each draw one; any random prefix will do, the counter is shared.
  if (g_stale.load(std::memory_order_acquire)) {
    g_prefix.store(DrawPrefix(), std::memory_order_relaxed);
    g_stale.store(false, std::memory_order_release);
  }
  return g_prefix.load(std::memory_order_relaxed);
}

}  // namespace

std::string NewRequestId() {
  static std::atomic<uint64_t> counter{0};
  using namespace std::chrono;
  const uint64_t ms = static_cast<uint64_t>(
      duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
  const uint64_t count = counter.fetch_add(1, std::memory_order_relaxed);
  std::string id(26, '0');
  PutBase32(ms, 10, id.data());
  PutBase32(ProcessPrefix(), 8, id.data() + 10);
  PutBase32(count, 8, id.data() + 18);
  return id;
}

bool IsValidRequestId(const std::string& id) {
  if (id.empty() || id.size() > 128) return false;
  for (unsigned char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '~' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace kiln::serving
