#include "artifacts/blob_uploads.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "artifacts/artifact_store.h"

namespace kiln::artifacts {
namespace {

namespace fs = std::filesystem;

class BlobUploadsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "kiln_up_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto store = OpenLocalArtifactStore((dir_ / "artifacts").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    auto uploads = BlobUploads::Open(*store_, staging().string());
    ASSERT_TRUE(uploads.ok()) << uploads.status().ToString();
    uploads_ = std::move(*uploads);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  fs::path staging() const { return dir_ / "artifacts" / "uploads"; }

  // Appends `bytes` at `offset` and expects it accepted.
  void AppendOk(const std::string& digest, int64_t offset, const std::string& bytes) {
    auto out = uploads_->Append(digest, offset, bytes);
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    ASSERT_TRUE(out->accepted);
    EXPECT_EQ(out->state.received, offset + static_cast<int64_t>(bytes.size()));
  }

  fs::path dir_;
  std::unique_ptr<ArtifactStore> store_;
  std::unique_ptr<BlobUploads> uploads_;
};

const std::string kContent = "hello, chunked world: " + std::string(1000, 'x');

TEST_F(BlobUploadsTest, ChunksAppendAndFinishIntoTheStore) {
  const std::string digest = Sha256Hex(kContent);
  AppendOk(digest, 0, kContent.substr(0, 100));
  AppendOk(digest, 100, kContent.substr(100, 400));
  auto state = uploads_->State(digest);
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->received, 500);
  EXPECT_FALSE(state->stored);
  AppendOk(digest, 500, kContent.substr(500));
  auto size = uploads_->Finish(digest);
  ASSERT_TRUE(size.ok()) << size.status().ToString();
  EXPECT_EQ(*size, static_cast<int64_t>(kContent.size()));
  auto blob = store_->GetBlob(digest);
  ASSERT_TRUE(blob.ok());
  EXPECT_EQ(*blob, kContent);
  EXPECT_TRUE(fs::is_empty(staging()));
  state = uploads_->State(digest);
  ASSERT_TRUE(state.ok());
  EXPECT_TRUE(state->stored);
  EXPECT_EQ(state->received, static_cast<int64_t>(kContent.size()));
}

TEST_F(BlobUploadsTest, WrongOffsetIsRefusedWithTheStagedSize) {
  const std::string digest = Sha256Hex(kContent);
  AppendOk(digest, 0, kContent.substr(0, 10));
  for (int64_t offset : {0, 5, 11, 1000}) {
    auto out = uploads_->Append(digest, offset, "zzz");
    ASSERT_TRUE(out.ok());
    EXPECT_FALSE(out->accepted) << offset;
    EXPECT_EQ(out->state.received, 10);
  }
  auto out = uploads_->Append(digest, 0 + 10, kContent.substr(10));
  ASSERT_TRUE(out.ok() && out->accepted);
  ASSERT_TRUE(uploads_->Finish(digest).ok());
}

TEST_F(BlobUploadsTest, MalformedDigestsAndOffsetsAreInvalidArguments) {
  for (const std::string& bad :
       {std::string("abc"), std::string(64, 'A'), std::string(63, 'a') + "/",
        std::string("../../../../etc/passwd"), std::string(64, 'g'), std::string(65, 'a')}) {
    EXPECT_EQ(uploads_->Append(bad, 0, "x").status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(uploads_->State(bad).status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(uploads_->Finish(bad).status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(uploads_->Discard(bad).status().code(), StatusCode::kInvalidArgument);
  }
  auto negative = uploads_->Append(Sha256Hex(kContent), -1, "x");
  EXPECT_EQ(negative.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(negative.status().message().find("offset"), std::string::npos);
  EXPECT_TRUE(fs::is_empty(staging()));
}

TEST_F(BlobUploadsTest, MismatchingContentIsDiscardedAndNothingStored) {
  const std::string digest = Sha256Hex(kContent);
  AppendOk(digest, 0, "not the content");
  auto finished = uploads_->Finish(digest);
  ASSERT_EQ(finished.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(finished.status().message().find(digest), std::string::npos);
  EXPECT_NE(finished.status().message().find(Sha256Hex("not the content")), std::string::npos);
  EXPECT_EQ(store_->LocateBlob(digest).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(fs::is_empty(staging()));
  EXPECT_EQ(uploads_->State(digest)->received, 0);
}

TEST_F(BlobUploadsTest, FinishWithoutStagedDataIsNotFound) {
  EXPECT_EQ(uploads_->Finish(Sha256Hex(kContent)).status().code(), StatusCode::kNotFound);
}

TEST_F(BlobUploadsTest, FinishAndAppendOnAStoredBlobAreIdempotent) {
  const std::string digest = Sha256Hex(kContent);
  ASSERT_TRUE(store_->PutBlob(kContent).ok());
  auto size = uploads_->Finish(digest);
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, static_cast<int64_t>(kContent.size()));
  auto out = uploads_->Append(digest, 0, "whatever");
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(out->accepted);
  EXPECT_TRUE(out->state.stored);
  EXPECT_TRUE(fs::is_empty(staging()));
  EXPECT_EQ(*store_->GetBlob(digest), kContent);
}

TEST_F(BlobUploadsTest, ABusyUploadAnswersUnavailableAtOnce) {
  const std::string digest = Sha256Hex(kContent);
  AppendOk(digest, 0, kContent.substr(0, 10));
  int fd = ::open((staging() / digest).c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);
  EXPECT_EQ(uploads_->Append(digest, 10, "x").status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(uploads_->Finish(digest).status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(uploads_->Discard(digest).status().code(), StatusCode::kUnavailable);
  ::close(fd);
  AppendOk(digest, 10, kContent.substr(10));
  EXPECT_TRUE(uploads_->Finish(digest).ok());
}

TEST_F(BlobUploadsTest, DiscardDropsTheStagedBytes) {
  const std::string digest = Sha256Hex(kContent);
  EXPECT_FALSE(*uploads_->Discard(digest));
  AppendOk(digest, 0, "abc");
  EXPECT_TRUE(*uploads_->Discard(digest));
  EXPECT_EQ(uploads_->State(digest)->received, 0);
}

TEST_F(BlobUploadsTest, ASymlinkInTheStagingFolderIsNotFollowed) {
  const std::string digest = Sha256Hex(kContent);
  const fs::path outside = dir_ / "outside";
  { std::ofstream(outside) << "keep"; }
  fs::create_symlink(outside, staging() / digest);
  EXPECT_FALSE(uploads_->Append(digest, 4, "more").ok());
  std::ifstream in(outside);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "keep");
}

// Two clients send the same blob at once, each resuming from what the server reports; the
// store ends up with the right bytes whoever finishes.
TEST_F(BlobUploadsTest, ConcurrentUploadsOfOneDigestNeverCorruptTheStore) {
  const std::string content(200000, 'q');
  const std::string digest = Sha256Hex(content + "!");
  const std::string full = content + "!";
  // A busy answer means the other client holds the lock, for however long a loaded machine
  // lets it: retry with a short pause until a generous deadline, as a real client would.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  auto busy = [&](const Status& status) {
    if (status.code() != StatusCode::kUnavailable) return false;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    return std::chrono::steady_clock::now() < deadline;
  };
  auto client = [&] {
    int64_t offset = 0;
    while (offset < static_cast<int64_t>(full.size())) {
      auto out = uploads_->Append(digest, offset, full.substr(offset, 1000));
      if (!out.ok()) {
        if (busy(out.status())) continue;
        ADD_FAILURE() << out.status().ToString();
        return;
      }
      if (out->state.stored) return;
      offset = out->state.received;
    }
    Result<int64_t> size = uploads_->Finish(digest);
    while (!size.ok() && busy(size.status())) size = uploads_->Finish(digest);
    EXPECT_TRUE(size.ok()) << size.status().ToString();
  };
  std::thread a(client), b(client);
  a.join();
  b.join();
  auto blob = store_->GetBlob(digest);
  ASSERT_TRUE(blob.ok()) << blob.status().ToString();
  EXPECT_EQ(*blob, full);
}

}  // namespace
}  // namespace kiln::artifacts
