#include "ml/huge_page_buffer.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

namespace kiln::ml {

Result<HugePageBuffer> HugePageBuffer::Allocate(size_t bytes) {
  HugePageBuffer out;
  if (bytes == 0) return out;
  void* map = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (map == MAP_FAILED) {
    return ResourceExhausted("cannot map " + std::to_string(bytes) +
                             " bytes: " + std::strerror(errno));
  }
  // Advice only: without transparent huge pages the buffer still works, with 4 KiB pages.
  (void)::madvise(map, bytes, MADV_HUGEPAGE);
  out.data_ = static_cast<char*>(map);
  out.size_ = bytes;
  return out;
}

HugePageBuffer::HugePageBuffer(HugePageBuffer&& other) noexcept { *this = std::move(other); }

HugePageBuffer& HugePageBuffer::operator=(HugePageBuffer&& other) noexcept {
  if (this == &other) return *this;
  Release();
  data_ = std::exchange(other.data_, nullptr);
  size_ = std::exchange(other.size_, 0);
  return *this;
}

HugePageBuffer::~HugePageBuffer() { Release(); }

void HugePageBuffer::Release() {
  if (data_ != nullptr) ::munmap(data_, size_);
  data_ = nullptr;
  size_ = 0;
}

}  // namespace kiln::ml
