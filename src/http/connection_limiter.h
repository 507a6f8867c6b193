// Caps on open connections, in total and per client, so that a few clients cannot take every
// file descriptor (or every slot) from the others. Internal to http/; the Server owns one.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/mutex.h"

namespace kiln::http {

// The key a client's connections and streams are counted under: an IPv4 address as text, an
// IPv6 address's /64 prefix (one subscriber commonly holds a whole /64), an IPv4-mapped IPv6
// address as its IPv4 address.
std::string ClientKey(const boost::asio::ip::address& address);

// The default cap on open connections for a process allowed `open_files` descriptors: leaves a
// quarter (at least 64) for the store, files, pipes and streams; at most 16384, at least 16.
size_t DefaultMaxConnections(size_t open_files);

// Raises the soft limit on open files (RLIMIT_NOFILE) to the hard limit; returns the soft
// limit in force afterwards.
size_t RaiseOpenFileLimit();

class ConnectionLimiter {
 public:
  // A held place in the count; returns it when destroyed. Movable, not copyable.
  class Slot {
   public:
    Slot() = default;
    Slot(Slot&& other) noexcept;
    Slot& operator=(Slot&& other) noexcept;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot();

   private:
    friend class ConnectionLimiter;
    Slot(ConnectionLimiter* limiter, std::string client)
        : limiter_(limiter), client_(std::move(client)) {}
    ConnectionLimiter* limiter_ = nullptr;
    std::string client_;
  };

  // Why TryAcquire refused.
  enum class Refusal { kNone, kTotal, kClient };

  // At most `max_total` connections in all and `max_per_client` per ClientKey.
  ConnectionLimiter(size_t max_total, size_t max_per_client);
  // A slot for one more connection of `client`, or nullopt with `refusal` set when a cap is
  // reached. The limiter must outlive the slot. Thread-safe.
  std::optional<Slot> TryAcquire(const std::string& client, Refusal& refusal);
  // Connections open now. Thread-safe.
  size_t open() const;
  size_t max_total() const { return max_total_; }
  size_t max_per_client() const { return max_per_client_; }

 private:
  void Release(const std::string& client) EXCLUDES(mu_);

  const size_t max_total_;
  const size_t max_per_client_;
  mutable Mutex mu_;
  size_t open_ GUARDED_BY(mu_) = 0;
  std::unordered_map<std::string, size_t> per_client_ GUARDED_BY(mu_);
};

}  // namespace kiln::http
