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
  slots_[sequence % capacity_] = Slot{sequence, hash, kNone, location, false};
  if (slots_.size() > heads_.size()) {
    Rehash(heads_.size() * 2);  // links every entry, this one included
    return;
  }
  uint64_t& head = Head(hash);
  slots_[sequence % capacity_].next = head;
  head = sequence;
}

void RequestIndex::Rehash(size_t buckets) {
  heads_.assign(buckets, kNone);
  // Only while the ring grows, so slot i holds sequence i: oldest first keeps chains newest first.
  for (Slot& slot : slots_) {
    uint64_t& head = Head(slot.hash);
    slot.next = head;
    head = slot.sequence;
  }
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
