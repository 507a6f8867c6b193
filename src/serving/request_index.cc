#include "serving/request_index.h"

#include <algorithm>
#include <functional>

namespace kiln::serving {
namespace {

constexpr size_t kMaxCapacity = size_t{1} << 31;
constexpr size_t kFirstBuckets = 1024;

uint64_t HashId(std::string_view id) { return std::hash<std::string_view>{}(id); }

bool SameRecord(const RecordLocation& a, const RecordLocation& b) {
  return a.segment == b.segment && a.offset == b.offset;
}

}  // namespace

RequestIndex::RequestIndex(size_t capacity)
    : capacity_(std::min(capacity, kMaxCapacity)), heads_(kFirstBuckets, kNone) {}

void RequestIndex::Add(std::string_view request_id, RecordLocation location) {
  if (capacity_ == 0) return;
  uint32_t slot;
  if (slots_.size() < capacity_) {
    slot = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  } else {
    slot = static_cast<uint32_t>(oldest_);
    Unlink(slot);
    oldest_ = (oldest_ + 1) % capacity_;
  }
  slots_[slot] = Slot{HashId(request_id), location, kNone, false};
  if (slots_.size() > heads_.size()) {
    Rehash(heads_.size() * 2);  // links every slot, this one included
  } else {
    Link(slot);
  }
}

void RequestIndex::Link(uint32_t slot) {
  uint32_t& head = Head(slots_[slot].hash);
  slots_[slot].next = head;
  head = slot;
}

void RequestIndex::Unlink(uint32_t slot) {
  uint32_t* link = &Head(slots_[slot].hash);
  while (*link != slot) link = &slots_[*link].next;  // the slot is in its bucket's chain
  *link = slots_[slot].next;
}

void RequestIndex::Rehash(size_t buckets) {
  heads_.assign(buckets, kNone);
  // Oldest first, so each chain keeps newest-first order.
  const size_t n = slots_.size();
  const size_t first = n == capacity_ ? oldest_ : 0;
  for (size_t i = 0; i < n; ++i) Link(static_cast<uint32_t>((first + i) % n));
}

std::vector<IndexHit> RequestIndex::Find(std::string_view request_id) const {
  std::vector<IndexHit> hits;
  const uint64_t hash = HashId(request_id);
  for (uint32_t s = Head(hash); s != kNone; s = slots_[s].next) {
    if (slots_[s].hash == hash)
      hits.push_back(IndexHit{slots_[s].location, slots_[s].has_feedback});
  }
  return hits;
}

bool RequestIndex::MarkFeedback(std::string_view request_id, RecordLocation location) {
  const uint64_t hash = HashId(request_id);
  for (uint32_t s = Head(hash); s != kNone; s = slots_[s].next) {
    if (slots_[s].hash == hash && SameRecord(slots_[s].location, location)) {
      slots_[s].has_feedback = true;
      return true;
    }
  }
  return false;
}

}  // namespace kiln::serving
