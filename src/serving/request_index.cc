#include "serving/request_index.h"

#include <functional>

namespace kiln::serving {
namespace {

uint64_t HashId(std::string_view id) { return std::hash<std::string_view>{}(id); }

bool SameRecord(const RecordLocation& a, uint32_t segment, uint32_t offset) {
  return a.segment == segment && a.offset == offset;
}

}  // namespace

void RequestIndex::Add(std::string_view request_id, RecordLocation location) {
  if (capacity_ == 0) return;
  const uint64_t hash = HashId(request_id);
  entries_.emplace(hash, Entry{location, false});
  order_.push_back(Added{hash, location.segment, location.offset});
  if (order_.size() > capacity_) ForgetOldest();
}

void RequestIndex::ForgetOldest() {
  const Added oldest = order_.front();
  order_.pop_front();
  auto [begin, end] = entries_.equal_range(oldest.hash);
  for (auto it = begin; it != end; ++it) {
    if (SameRecord(it->second.location, oldest.segment, oldest.offset)) {
      entries_.erase(it);
      return;
    }
  }
}

std::vector<IndexHit> RequestIndex::Find(std::string_view request_id) const {
  std::vector<IndexHit> hits;
  auto [begin, end] = entries_.equal_range(HashId(request_id));
  for (auto it = begin; it != end; ++it) {
    hits.push_back(IndexHit{it->second.location, it->second.has_feedback});
  }
  return hits;
}

bool RequestIndex::MarkFeedback(std::string_view request_id, RecordLocation location) {
  auto [begin, end] = entries_.equal_range(HashId(request_id));
  for (auto it = begin; it != end; ++it) {
    if (SameRecord(it->second.location, location.segment, location.offset)) {
      it->second.has_feedback = true;
      return true;
    }
  }
  return false;
}

}  // namespace kiln::serving
