// The ArtifactStore contract: every promise of artifacts/artifact_store.h, run against each
// implementation. An implementation joins with one line in kImpls at the end of this file.
// Stores are opened only through OpenArtifactStore; files to adopt or stream are staged in the
// test's scratch folder.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "artifacts/artifact_store.h"
#include "artifacts/artifact_store_uri.h"

namespace kiln::artifacts {
namespace {

namespace fs = std::filesystem;

const std::string kAbc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
const std::string kEmpty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// One implementation under test: the URI of a store for a test whose scratch folder is `dir`,
// or "" when the implementation is not available here (the tests are then skipped).
struct ArtifactStoreImpl {
  const char* name;
  std::string (*uri)(const std::string& dir);
};

// How gtest names the implementation in test names and messages.
void PrintTo(const ArtifactStoreImpl& impl, std::ostream* os) { *os << impl.name; }

std::string PrintImpl(const testing::TestParamInfo<ArtifactStoreImpl>& info) {
  return info.param.name;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// Bytes that are not text and span several read buffers.
std::string Binary(size_t size, int seed) {
  std::string bytes(size, '\0');
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>((i * 131 + seed) % 256);
  return bytes;
}

class ArtifactStoreContract : public testing::TestWithParam<ArtifactStoreImpl> {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "kiln_art_contract_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    uri_ = GetParam().uri(dir_.string());
    if (uri_.empty()) GTEST_SKIP() << GetParam().name << " is not available here";
    store_ = Open();
    ASSERT_NE(store_, nullptr);
  }
  void TearDown() override {
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::unique_ptr<ArtifactStore> Open() {
    auto opened = OpenArtifactStore(uri_);
    EXPECT_TRUE(opened.ok()) << uri_ << ": " << opened.status().ToString();
    return opened.ok() ? std::move(*opened) : nullptr;
  }

  // Writes `bytes` to a new file `name` in the scratch folder; returns its path.
  std::string Stage(const std::string& name, const std::string& bytes) {
    fs::path path = dir_ / "staged" / name;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
  }

  // "path" for files, "path/" for directories, in List order.
  std::vector<std::string> ListPaths(const std::string& dir) {
    auto entries = store_->List(dir);
    EXPECT_TRUE(entries.ok()) << dir << ": " << entries.status().ToString();
    std::vector<std::string> paths;
    if (!entries.ok()) return paths;
    for (const FileEntry& e : *entries) paths.push_back(e.path + (e.is_dir ? "/" : ""));
    return paths;
  }

  fs::path dir_;
  std::string uri_;
  std::unique_ptr<ArtifactStore> store_;
};

TEST_P(ArtifactStoreContract, PutThenGetAndLocateGiveTheBytes) {
  const std::string binary = Binary(100000, 7);
  ASSERT_TRUE(store_->Put("1/run/artifacts/model.bin", binary).ok());
  ASSERT_TRUE(store_->Put("empty", "").ok());
  ASSERT_TRUE(store_->Put("logs/step.log", "crash-safe", Sync::kCrashSafe).ok());
  EXPECT_EQ(*store_->Get("1/run/artifacts/model.bin"), binary);
  EXPECT_EQ(*store_->Get("empty"), "");
  EXPECT_EQ(*store_->Get("logs/step.log"), "crash-safe");
  auto located = store_->Locate("1/run/artifacts/model.bin");
  ASSERT_TRUE(located.ok()) << located.status().ToString();
  EXPECT_TRUE(fs::path(*located).is_absolute()) << *located;
  EXPECT_EQ(ReadFile(*located), binary);
}

TEST_P(ArtifactStoreContract, PutReplacesAFile) {
  ASSERT_TRUE(store_->Put("a/f", "first, longer").ok());
  ASSERT_TRUE(store_->Put("a/f", "second").ok());
  EXPECT_EQ(*store_->Get("a/f"), "second");
}

TEST_P(ArtifactStoreContract, FileCallsRefuseWhatIsNotAFilePath) {
  ASSERT_TRUE(store_->Put("d/f", "x").ok());
  for (const std::string path : {"", "d/", "d/f/"}) {
    EXPECT_EQ(store_->Put(path, "x").code(), StatusCode::kInvalidArgument) << path;
    EXPECT_EQ(store_->Get(path).status().code(), StatusCode::kInvalidArgument) << path;
    EXPECT_EQ(store_->Locate(path).status().code(), StatusCode::kInvalidArgument) << path;
  }
  EXPECT_EQ(store_->Delete("").code(), StatusCode::kInvalidArgument);         // not the root
  EXPECT_EQ(store_->Put("d", "x").code(), StatusCode::kInvalidArgument);      // a directory
  EXPECT_EQ(store_->Put("d/f/g", "x").code(), StatusCode::kInvalidArgument);  // under a file
  EXPECT_EQ(*store_->Get("d/f"), "x");
}

TEST_P(ArtifactStoreContract, ListGivesDirectChildrenSortedWithFullRelativePaths) {
  ASSERT_TRUE(store_->Put("1/abc/artifacts/model/MLmodel", "flavors").ok());
  ASSERT_TRUE(store_->Put("1/abc/artifacts/b.txt", "12345").ok());
  ASSERT_TRUE(store_->Put("1/abc/artifacts/a.txt", "").ok());
  ASSERT_TRUE(store_->Put("2", "top").ok());
  EXPECT_EQ(ListPaths(""), (std::vector<std::string>{"1/", "2"}));
  EXPECT_EQ(ListPaths("1/abc/artifacts"),
            (std::vector<std::string>{"1/abc/artifacts/a.txt", "1/abc/artifacts/b.txt",
                                      "1/abc/artifacts/model/"}));
  EXPECT_EQ(ListPaths("1/abc/artifacts/"), ListPaths("1/abc/artifacts"));
  EXPECT_EQ(ListPaths("1/abc/artifacts/model"),
            (std::vector<std::string>{"1/abc/artifacts/model/MLmodel"}));
  auto entries = store_->List("1/abc/artifacts");
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].size, 0);
  EXPECT_EQ((*entries)[1].size, 5);
  EXPECT_FALSE((*entries)[1].is_dir);
  EXPECT_TRUE((*entries)[2].is_dir);
  EXPECT_EQ((*entries)[2].size, 0);
}

TEST_P(ArtifactStoreContract, ListOfAMissingDirectoryOrOfAFileIsEmpty) {
  EXPECT_TRUE(ListPaths("").empty());
  EXPECT_TRUE(ListPaths("no/such/dir").empty());
  ASSERT_TRUE(store_->Put("d/f", "x").ok());
  EXPECT_TRUE(ListPaths("d/f").empty());  // as MLflow lists a file
}

TEST_P(ArtifactStoreContract, UnsafePathsAreInvalidArgumentEverywhere) {
  ASSERT_TRUE(store_->Put("a/b", "x").ok());
  for (const std::string& path :
       std::vector<std::string>{"../escape", "/etc/passwd", "a/../../escape", "./a", "a//b", "a\\b",
                                std::string("a\0b", 3), "a\tb"}) {
    EXPECT_EQ(store_->Put(path, "x").code(), StatusCode::kInvalidArgument) << path;
    EXPECT_EQ(store_->Get(path).status().code(), StatusCode::kInvalidArgument) << path;
    EXPECT_EQ(store_->Locate(path).status().code(), StatusCode::kInvalidArgument) << path;
    EXPECT_EQ(store_->List(path).status().code(), StatusCode::kInvalidArgument) << path;
    EXPECT_EQ(store_->Delete(path).code(), StatusCode::kInvalidArgument) << path;
  }
  EXPECT_FALSE(fs::exists(dir_ / "escape"));
  EXPECT_EQ(*store_->Get("a/b"), "x");
}

TEST_P(ArtifactStoreContract, MissingFilesAreNotFound) {
  ASSERT_TRUE(store_->Put("d/f", "x").ok());
  for (const std::string path : {"nope", "d/nope", "nope/deeper", "d/f/under-a-file"}) {
    EXPECT_EQ(store_->Get(path).status().code(), StatusCode::kNotFound) << path;
    EXPECT_EQ(store_->Locate(path).status().code(), StatusCode::kNotFound) << path;
    EXPECT_EQ(store_->Delete(path).code(), StatusCode::kNotFound) << path;
  }
  // A directory is not a file to read.
  EXPECT_EQ(store_->Get("d").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->Locate("d").status().code(), StatusCode::kNotFound);
}

TEST_P(ArtifactStoreContract, DeleteRemovesAFileOrATree) {
  ASSERT_TRUE(store_->Put("d/a", "1").ok());
  ASSERT_TRUE(store_->Put("d/sub/b", "2").ok());
  ASSERT_TRUE(store_->Put("keep", "3").ok());
  ASSERT_TRUE(store_->Delete("d/a").ok());
  EXPECT_EQ(store_->Get("d/a").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(ListPaths("d"), (std::vector<std::string>{"d/sub/"}));
  ASSERT_TRUE(store_->Delete("d").ok());
  EXPECT_EQ(store_->Get("d/sub/b").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(ListPaths(""), (std::vector<std::string>{"keep"}));
  EXPECT_EQ(store_->Delete("d").code(), StatusCode::kNotFound);
}

TEST_P(ArtifactStoreContract, PutBlobIsContentAddressedAndIdempotent) {
  auto digest = store_->PutBlob("abc");
  ASSERT_TRUE(digest.ok()) << digest.status().ToString();
  EXPECT_EQ(*digest, kAbc);
  EXPECT_EQ(*digest, Sha256Hex("abc"));
  auto again = store_->PutBlob("abc");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, kAbc);
  EXPECT_EQ(*store_->GetBlob(kAbc), "abc");
  auto located = store_->LocateBlob(kAbc);
  ASSERT_TRUE(located.ok()) << located.status().ToString();
  EXPECT_EQ(ReadFile(*located), "abc");
  EXPECT_EQ(*store_->PutBlob(""), kEmpty);
  EXPECT_EQ(*store_->GetBlob(kEmpty), "");
  EXPECT_TRUE(ListPaths("").empty());  // blobs are not in the path tree
}

TEST_P(ArtifactStoreContract, BlobDigestErrors) {
  const std::string staged = Stage("f", "abc");
  for (const std::string& d :
       {std::string(""), std::string("abc"), std::string(63, 'a'), std::string(65, 'a'),
        std::string(64, 'g'), std::string(64, 'A'), "../" + std::string(61, 'a')}) {
    EXPECT_EQ(store_->GetBlob(d).status().code(), StatusCode::kInvalidArgument) << d;
    EXPECT_EQ(store_->LocateBlob(d).status().code(), StatusCode::kInvalidArgument) << d;
    EXPECT_EQ(store_->AdoptBlobFile(staged, d).status().code(), StatusCode::kInvalidArgument) << d;
  }
  EXPECT_TRUE(fs::exists(staged));
  EXPECT_EQ(store_->GetBlob(kAbc).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->LocateBlob(kAbc).status().code(), StatusCode::kNotFound);
}

TEST_P(ArtifactStoreContract, PutBlobFileStreamsTheSameBlobAsPutBlob) {
  const std::string bytes = Binary(300000, 3);  // several read buffers
  const std::string staged = Stage("big", bytes);
  auto streamed = store_->PutBlobFile(staged);
  ASSERT_TRUE(streamed.ok()) << streamed.status().ToString();
  EXPECT_EQ(*streamed, Sha256Hex(bytes));
  EXPECT_EQ(*store_->GetBlob(*streamed), bytes);
  EXPECT_EQ(ReadFile(staged), bytes);  // the source is copied, not taken
  auto put = store_->PutBlob(bytes);
  ASSERT_TRUE(put.ok());
  EXPECT_EQ(*put, *streamed);
  auto again = store_->PutBlobFile(Stage("small", "abc"), Sync::kCrashSafe);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, kAbc);
  EXPECT_EQ(*store_->PutBlobFile(Stage("small", "abc")), kAbc);
}

TEST_P(ArtifactStoreContract, PutBlobFileOfNoRegularFileIsNotFound) {
  EXPECT_EQ(store_->PutBlobFile((dir_ / "missing").string()).status().code(),
            StatusCode::kNotFound);
  fs::create_directories(dir_ / "a-dir");
  EXPECT_EQ(store_->PutBlobFile((dir_ / "a-dir").string()).status().code(), StatusCode::kNotFound);
}

TEST_P(ArtifactStoreContract, AdoptBlobFileMovesACheckedFileIn) {
  const std::string bytes = Binary(70000, 5);
  const std::string staged = Stage("upload", bytes);
  auto size = store_->AdoptBlobFile(staged, Sha256Hex(bytes));
  ASSERT_TRUE(size.ok()) << size.status().ToString();
  EXPECT_EQ(*size, 70000);
  EXPECT_FALSE(fs::exists(staged));  // moved into the store
  EXPECT_EQ(*store_->GetBlob(Sha256Hex(bytes)), bytes);
}

TEST_P(ArtifactStoreContract, AdoptBlobFileRefusesOtherContentsAndKeepsTheFile) {
  const std::string claimed = Sha256Hex("what the client announced");
  const std::string staged = Stage("upload", "what arrived");
  auto adopted = store_->AdoptBlobFile(staged, claimed);
  ASSERT_EQ(adopted.status().code(), StatusCode::kInvalidArgument);
  const std::string message = adopted.status().message();
  EXPECT_NE(message.find(claimed), std::string::npos) << message;
  EXPECT_NE(message.find(Sha256Hex("what arrived")), std::string::npos) << message;
  EXPECT_EQ(ReadFile(staged), "what arrived");
  EXPECT_EQ(store_->GetBlob(claimed).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->GetBlob(Sha256Hex("what arrived")).status().code(), StatusCode::kNotFound);
}

TEST_P(ArtifactStoreContract, AdoptBlobFileOfAStoredBlobLeavesTheFile) {
  ASSERT_TRUE(store_->PutBlob("abc").ok());
  const std::string staged = Stage("upload", "abc");
  auto size = store_->AdoptBlobFile(staged, kAbc);
  ASSERT_TRUE(size.ok()) << size.status().ToString();
  EXPECT_EQ(*size, 3);
  EXPECT_EQ(ReadFile(staged), "abc");
  EXPECT_EQ(*store_->GetBlob(kAbc), "abc");
}

TEST_P(ArtifactStoreContract, AdoptBlobFileOfNoRegularFileIsNotFound) {
  EXPECT_EQ(store_->AdoptBlobFile((dir_ / "missing").string(), kAbc).status().code(),
            StatusCode::kNotFound);
  fs::create_directories(dir_ / "a-dir");
  EXPECT_EQ(store_->AdoptBlobFile((dir_ / "a-dir").string(), kAbc).status().code(),
            StatusCode::kNotFound);
}

TEST_P(ArtifactStoreContract, ConcurrentPutsOfOneBlobAllSucceed) {
  const std::string bytes = Binary(200000, 9);
  const std::string digest = Sha256Hex(bytes);
  constexpr int kThreads = 8;
  std::vector<std::string> streamed, adopted;
  for (int i = 0; i < kThreads; ++i) {
    streamed.push_back(Stage("stream" + std::to_string(i), bytes));
    adopted.push_back(Stage("adopt" + std::to_string(i), bytes));
  }
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      // Each way in at once: bytes, a streamed file, an adopted file.
      for (int round = 0; round < 3; ++round) {
        Status status;
        if ((i + round) % 3 == 0) {
          auto put = store_->PutBlob(bytes);
          status = put.ok() && *put != digest ? Internal("digest " + *put) : put.status();
        } else if ((i + round) % 3 == 1) {
          auto put = store_->PutBlobFile(streamed[i]);
          status = put.ok() && *put != digest ? Internal("digest " + *put) : put.status();
        } else if (fs::exists(adopted[i])) {  // moved in, or left as the blob was there
          auto size = store_->AdoptBlobFile(adopted[i], digest);
          status = size.ok() && *size != 200000 ? Internal("size") : size.status();
        }
        if (!status.ok()) errors[i] += status.ToString() + "; ";
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int i = 0; i < kThreads; ++i) EXPECT_EQ(errors[i], "") << "thread " << i;
  auto stored = store_->GetBlob(digest);
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(*stored == bytes);
}

TEST_P(ArtifactStoreContract, ConcurrentPutsToOnePathLeaveOneWholeValue) {
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([this, i] {
      std::string value(20000, static_cast<char>('a' + i));
      for (int j = 0; j < 10; ++j) EXPECT_TRUE(store_->Put("shared/f", value).ok());
    });
  }
  for (std::thread& t : threads) t.join();
  auto bytes = store_->Get("shared/f");
  ASSERT_TRUE(bytes.ok());
  ASSERT_EQ(bytes->size(), 20000u);
  EXPECT_EQ(*bytes, std::string(20000, (*bytes)[0]));
}

TEST_P(ArtifactStoreContract, ANewStoreObjectSeesWhatWasStored) {
  ASSERT_TRUE(store_->Put("keep/me", "x").ok());
  ASSERT_TRUE(store_->PutBlob("abc").ok());
  store_.reset();
  store_ = Open();
  ASSERT_NE(store_, nullptr);
  EXPECT_EQ(*store_->Get("keep/me"), "x");
  EXPECT_EQ(*store_->GetBlob(kAbc), "abc");
}

std::string FolderIn(const std::string& dir) { return FileUri(dir + "/artifacts"); }

// The implementations, one line each: a name and the URI of a store in a scratch folder.
const ArtifactStoreImpl kImpls[] = {
    {"file", FolderIn},
};

INSTANTIATE_TEST_SUITE_P(Impl, ArtifactStoreContract, testing::ValuesIn(kImpls), PrintImpl);

}  // namespace
}  // namespace kiln::artifacts
