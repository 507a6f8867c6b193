// RequestIndex: where the most recent requests sit in the request log's segments, so feedback
// finds its request without scanning. Internal to RequestLog.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
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
// `capacity` (at most 2^31). A ring of entries chained by hash, newest first: the entry a new one
// overwrites is always the oldest, so the last of its chain, and it drops out of its chain by
// itself (links name an entry by its sequence number, and a reused slot has a new one). Both
// arrays are sized for `capacity` up front (the slots' pages are touched as they fill), so an
// Add never reallocates: one random memory access each; about 48 bytes per entry. Not
// thread-safe: the caller serializes calls.
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
  static constexpr uint64_t kNone = UINT64_MAX;
  struct Slot {
    uint64_t sequence = kNone;  // of the entry in this slot (the Add that wrote it)
    uint64_t hash = 0;
    uint64_t next = kNone;  // sequence of the next older entry in the same bucket
    RecordLocation location;
    bool has_feedback = false;
  };
  // The slot holding the entry with `sequence`, or nullptr if that entry is forgotten.
  const Slot* Live(uint64_t sequence) const;
  Slot* Live(uint64_t sequence) { return const_cast<Slot*>(std::as_const(*this).Live(sequence)); }
  uint64_t& Head(uint64_t hash) { return heads_[hash & (heads_.size() - 1)]; }
  uint64_t Head(uint64_t hash) const { return heads_[hash & (heads_.size() - 1)]; }

  size_t capacity_;
  uint64_t added_ = 0;           // Adds so far: the next entry's sequence
  std::vector<Slot> slots_;      // entry with sequence q sits in slot q % capacity_
  std::vector<uint64_t> heads_;  // bucket -> sequence of its newest entry; a power of two,
                                 // at least capacity_
};

}  // namespace kiln::serving
