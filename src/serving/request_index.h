// RequestIndex: where the most recent requests sit in the request log's segments, so feedback
// finds its request without scanning. Internal to RequestLog.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace kiln::serving {

// Where one request line is: segment number, byte offset and length (without '\n').
struct RecordLocation {
  uint32_t segment = 0;
  uint32_t offset = 0;
  uint32_t length = 0;
};

// One indexed request whose id hashes like the one looked up (the caller confirms the id by
// reading the line: 64-bit hashes rarely collide, but may).
struct IndexHit {
  RecordLocation location;
  bool has_feedback = false;
};

// A bounded map from request id hash to location, forgetting the oldest-added entries beyond
// `capacity` (at most 2^31). A ring of entries chained by hash: no allocation per Add once the
// ring is full, about 40 bytes per entry. Not thread-safe: the caller serializes calls.
class RequestIndex {
 public:
  explicit RequestIndex(size_t capacity);

  // Adds a request; forgets the oldest one if the index is then over capacity.
  void Add(std::string_view request_id, RecordLocation location);
  // Requests whose id hashes like `request_id`, usually none or one.
  std::vector<IndexHit> Find(std::string_view request_id) const;
  // Marks the request at `location` as having feedback; false if it is not indexed.
  bool MarkFeedback(std::string_view request_id, RecordLocation location);
  size_t size() const { return slots_.size(); }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  struct Slot {
    uint64_t hash = 0;
    RecordLocation location;
    uint32_t next = kNone;  // the next older slot in the same bucket
    bool has_feedback = false;
  };
  uint32_t& Head(uint64_t hash) { return heads_[hash & (heads_.size() - 1)]; }
  uint32_t Head(uint64_t hash) const { return heads_[hash & (heads_.size() - 1)]; }
  void Link(uint32_t slot);
  void Unlink(uint32_t slot);
  void Rehash(size_t buckets);

  size_t capacity_;
  std::vector<Slot> slots_;      // grows to capacity_, then the oldest is overwritten in turn
  size_t oldest_ = 0;            // once full: the slot overwritten next
  std::vector<uint32_t> heads_;  // bucket -> newest slot of its chain; a power of two
};

}  // namespace kiln::serving
