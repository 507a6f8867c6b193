// HugePageBuffer: uninitialized memory for large, short-lived arrays (a training step's feature
// matrix). An anonymous mapping advised for transparent huge pages: a first touch maps 2 MiB at
// a time, which matters where every 4 KiB page fault is expensive (virtual machines).
#pragma once

#include <cstddef>

#include "common/status.h"

namespace kiln::ml {

// Move-only owner of the mapping. Not thread-safe to move; the bytes may be written
// concurrently at distinct places.
class HugePageBuffer {
 public:
  // `bytes` of uninitialized memory (rounded up to whole pages; none for 0). Falls back to
  // normal pages silently. Errors: kResourceExhausted when the mapping fails.
  static Result<HugePageBuffer> Allocate(size_t bytes);

  HugePageBuffer() = default;
  HugePageBuffer(HugePageBuffer&& other) noexcept;
  HugePageBuffer& operator=(HugePageBuffer&& other) noexcept;
  HugePageBuffer(const HugePageBuffer&) = delete;
  HugePageBuffer& operator=(const HugePageBuffer&) = delete;
  ~HugePageBuffer();

  char* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  void Release();

  char* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace kiln::ml
