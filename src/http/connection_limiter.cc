#include "http/connection_limiter.h"

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>

namespace kiln::http {

std::string ClientKey(const boost::asio::ip::address& address) {
  if (address.is_v4()) return address.to_v4().to_string();
  const boost::asio::ip::address_v6 v6 = address.to_v6();
  if (v6.is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_string();
  }
  if (v6.is_loopback()) return v6.to_string();
  const boost::asio::ip::address_v6::bytes_type bytes = v6.to_bytes();
  char prefix[32];  // "xxxx:xxxx:xxxx:xxxx::/64" and the NUL
  std::snprintf(prefix, sizeof prefix, "%02x%02x:%02x%02x:%02x%02x:%02x%02x::/64", bytes[0],
                bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7]);
  return prefix;
}

size_t DefaultMaxConnections(size_t open_files) {
  const size_t reserve = std::max<size_t>(64, open_files / 4);
  const size_t usable = open_files > reserve ? open_files - reserve : 0;
  return std::clamp<size_t>(usable, 16, 16384);
}

size_t RaiseOpenFileLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return limit.rlim_cur == RLIM_INFINITY ? size_t{1} << 20 : static_cast<size_t>(limit.rlim_cur);
}

ConnectionLimiter::Slot::Slot(Slot&& other) noexcept
    : limiter_(other.limiter_), client_(std::move(other.client_)) {
  other.limiter_ = nullptr;
}

ConnectionLimiter::Slot& ConnectionLimiter::Slot::operator=(Slot&& other) noexcept {
  if (this != &other) {
    if (limiter_ != nullptr) limiter_->Release(client_);
    limiter_ = other.limiter_;
    client_ = std::move(other.client_);
    other.limiter_ = nullptr;
  }
  return *this;
}

ConnectionLimiter::Slot::~Slot() {
  if (limiter_ != nullptr) limiter_->Release(client_);
}

ConnectionLimiter::ConnectionLimiter(size_t max_total, size_t max_per_client)
    : max_total_(max_total), max_per_client_(max_per_client) {}

std::optional<ConnectionLimiter::Slot> ConnectionLimiter::TryAcquire(const std::string& client,
                                                                     Refusal& refusal) {
  MutexLock lock(mu_);
  if (open_ >= max_total_) {
    refusal = Refusal::kTotal;
    return std::nullopt;
  }
  size_t& mine = per_client_[client];
  if (mine >= max_per_client_) {
    refusal = Refusal::kClient;
    return std::nullopt;
  }
  ++mine;
  ++open_;
  refusal = Refusal::kNone;
  return Slot(this, client);
}

void ConnectionLimiter::Release(const std::string& client) {
  MutexLock lock(mu_);
  --open_;
  auto it = per_client_.find(client);
  if (it != per_client_.end() && --it->second == 0) per_client_.erase(it);
}

size_t ConnectionLimiter::open() const {
  MutexLock lock(mu_);
  return open_;
}

}  // namespace kiln::http
