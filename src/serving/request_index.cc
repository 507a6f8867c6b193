#include "serving/request_index.h"

#include <algorithm>
#include <functional>

namespace kiln::serving {
namespace {

constexpr size_t kMaxCapacity = size_t{1} << 31;

// At least one bucket per entry, a power of two.
size_t BucketsFor(size_t capacity) {
  size_t buckets = 1024;
  while (buckets < capacity) buckets *= 2;
  return buckets;
}

uint64_t HashId(std::string_view id) { return std::hash<std::string_view>{}(id); }

bool SameRecord(const RecordLocation& a, const RecordLocation& b) {
  return a.segment == b.segment && a.offset == b.offset;
}

}  // namespace

RequestIndex::RequestIndex(size_t capacity)
    : capacity_(std::min(capacity, kMaxCapacity)), heads_(BucketsFor(capacity_), kNone) {
  // Sized once: growing under the request log's lock would stall every request for the copy.
  slots_.reserve(capacity_);
}

const RequestIndex::Slot* RequestIndex::Live(uint64_t sequence) const {
  if (sequence == kNone) return nullptr;
  const Slot& slot = slots_[sequence % capacity_];
  return slot.sequence == sequence ? &slot : nullptr;
}

void RequestIndex::Add(std::string_view request_id, RecordLocation location) {
  if (capacity_ == 0) return;
  const uint64_t sequence = added_++;
  if (slots_.size() < capacity_) slots_.emplace_back();
  const uint64_t hash = HashId(request_id);
  uint64_t& head = Head(hash);
  slots_[sequence % capacity_] = Slot{sequence, hash, head, location, false};
  head = sequence;
}

std::vector<IndexHit> RequestIndex::Find(std::string_view request_id) const {
  std::vector<IndexHit> hits;
  const uint64_t hash = HashId(request_id);
  for (const Slot* s = Live(Head(hash)); s != nullptr; s = Live(s->next)) {
    if (s->hash == hash) hits.push_back(IndexHit{s->location, s->has_feedback});
  }
  return hits;
}

bool RequestIndex::MarkFeedback(std::string_view request_id, RecordLocation location) {
  const uint64_t hash = HashId(request_id);
  for (Slot* s = Live(Head(hash)); s != nullptr; s = Live(s->next)) {
    if (s->hash == hash && SameRecord(s->location, location)) {
      s->has_feedback = true;
      return true;
    }
  }
  return false;
}

}  // namespace kiln::serving
