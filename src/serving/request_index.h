// RequestIndex: where the most recent requests sit in the request log's segments, so feedback
// finds its request without scanning. Internal to RequestLog.
#pragma once

#include <cstdint>
#include <deque>
#include <string_view>
#include <unordered_map>
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
// `capacity`. About 72 bytes per entry. Not thread-safe: the caller serializes calls.
class RequestIndex {
 public:
  explicit RequestIndex(size_t capacity) : capacity_(capacity) {}

  // Adds a request; forgets the oldest one if the index is then over capacity.
  void Add(std::string_view request_id, RecordLocation location);
  // Requests whose id hashes like `request_id`, usually none or one.
  std::vector<IndexHit> Find(std::string_view request_id) const;
  // Marks the request at `location` as having feedback; false if it is not indexed.
  bool MarkFeedback(std::string_view request_id, RecordLocation location);
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    RecordLocation location;
    bool has_feedback = false;
  };
  struct Added {
    uint64_t hash;
    uint32_t segment;
    uint32_t offset;
  };
  void ForgetOldest();

  size_t capacity_;
  std::unordered_multimap<uint64_t, Entry> entries_;
  std::deque<Added> order_;  // oldest first
};

}  // namespace kiln::serving
