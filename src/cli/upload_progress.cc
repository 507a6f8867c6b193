#include "cli/upload_progress.h"

#include "cli/file_hashing.h"

namespace kiln::cli {

namespace {
constexpr int64_t kProgressAbove = int64_t{64} << 20;  // as for hashing
}  // namespace

UploadProgress::UploadProgress(std::FILE* out, int64_t total)
    : out_(total > kProgressAbove ? out : nullptr) {}

void UploadProgress::Show(int64_t sent, int64_t total) {
  if (out_ == nullptr || done_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(100) && sent < total) return;
  last_ = now;
  std::fprintf(out_, "\ruploading %s of %s ", FormatBytes(sent).c_str(),
               FormatBytes(total).c_str());
  done_ = sent >= total;
  if (done_) std::fputc('\n', out_);
  std::fflush(out_);
}

}  // namespace kiln::cli
