// The chunked upload client against the real routes in-process, with faults injected between.
#include "cli/chunked_upload.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "api/app.h"
#include "artifacts/artifact_store.h"
#include "http/uri.h"

namespace kiln::cli {
namespace {

namespace fs = std::filesystem;

class ChunkedUploadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "kiln_chunk_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto app = api::App::Open((dir_ / "data").string());
    ASSERT_TRUE(app.ok()) << app.status().ToString();
    app_ = std::move(*app);
    content_.resize(100000);
    for (size_t i = 0; i < content_.size(); ++i) content_[i] = static_cast<char>(i * 7 % 251);
    digest_ = artifacts::Sha256Hex(content_);
    file_ = (dir_ / "input.bin").string();
    std::ofstream(file_, std::ios::binary) << content_;
    options_.chunk_bytes = 16384;
    options_.min_chunk_bytes = 1024;
    options_.backoff = std::chrono::milliseconds(0);
  }
  void TearDown() override {
    app_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // The server, in-process: what RemoteCaller's http::Client would reach.
  Result<http::Response> Serve(const std::string& method, const std::string& target,
                               const std::string& body) {
    log_.push_back(method + " " + target);
    http::Request request;
    request.method = method;
    request.target = target;
    size_t question = target.find('?');
    request.path = target.substr(0, question);
    if (question != std::string::npos) {
      EXPECT_TRUE(http::ParseQueryString(target.substr(question + 1), request.query));
    }
    request.body = body;
    return app_->Handle(request);
  }
  SendFn Server() {
    return [this](const std::string& m, const std::string& t, const std::string& b) {
      return Serve(m, t, b);
    };
  }
  void ExpectStored() {
    auto blob = app_->artifacts().GetBlob(digest_);
    ASSERT_TRUE(blob.ok()) << blob.status().ToString();
    EXPECT_TRUE(*blob == content_);
  }

  fs::path dir_;
  std::unique_ptr<api::App> app_;
  std::string content_;
  std::string digest_;
  std::string file_;
  ChunkedUploadOptions options_;
  std::vector<std::string> log_;
};

TEST_F(ChunkedUploadTest, SendsTheFileInChunksWithProgress) {
  std::vector<int64_t> reported;
  Status s = UploadInChunks(Server(), digest_, file_, options_, [&](int64_t sent, int64_t total) {
    EXPECT_EQ(total, 100000);
    reported.push_back(sent);
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  ExpectStored();
  ASSERT_FALSE(reported.empty());
  EXPECT_EQ(reported.front(), 16384);
  EXPECT_EQ(reported.back(), 100000);
  EXPECT_EQ(log_.back(), "POST /api/v1/blobs/" + digest_ + "/upload/finish");
}

TEST_F(ChunkedUploadTest, ResumesAfterDroppedConnections) {
  int calls = 0;
  SendFn flaky = [&](const std::string& m, const std::string& t, const std::string& b) {
    ++calls;
    // Every third request is lost: half of them after the server handled it.
    if (calls % 3 == 0) {
      if (calls % 2 == 0) Serve(m, t, b).status().IgnoreError();
      return Result<http::Response>(Unavailable("connection reset"));
    }
    return Serve(m, t, b);
  };
  Status s = UploadInChunks(flaky, digest_, file_, options_, nullptr);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ExpectStored();
}

TEST_F(ChunkedUploadTest, ResumesFromWhatTheServerHasStaged) {
  ASSERT_TRUE(
      Serve("PATCH", "/api/v1/blobs/" + digest_ + "/upload?offset=0", content_.substr(0, 50000))
          .ok());
  ASSERT_TRUE(UploadInChunks(Server(), digest_, file_, options_, nullptr).ok());
  ExpectStored();
  EXPECT_EQ(log_[2], "PATCH /api/v1/blobs/" + digest_ + "/upload?offset=50000");
}

TEST_F(ChunkedUploadTest, HalvesChunksABodyLimitRefuses) {
  SendFn limited = [&](const std::string& m, const std::string& t, const std::string& b) {
    if (b.size() > 5000)
      return Result<http::Response>(http::Response::Error(413, "BAD_REQUEST", "too large"));
    return Serve(m, t, b);
  };
  ASSERT_TRUE(UploadInChunks(limited, digest_, file_, options_, nullptr).ok());
  ExpectStored();
}

TEST_F(ChunkedUploadTest, AStoredBlobIsNotSentAgain) {
  ASSERT_TRUE(app_->artifacts().PutBlob(content_).ok());
  ASSERT_TRUE(UploadInChunks(Server(), digest_, file_, options_, nullptr).ok());
  EXPECT_EQ(log_.size(), 1u);  // the state query only
}

TEST_F(ChunkedUploadTest, AFileThatNoLongerMatchesIsRefusedWithTheServersMessage) {
  const std::string stale = artifacts::Sha256Hex("other content");
  Status s = UploadInChunks(Server(), stale, file_, options_, nullptr);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find(stale), std::string::npos) << s.message();
  EXPECT_EQ(app_->artifacts().LocateBlob(stale).status().code(), StatusCode::kNotFound);
}

TEST_F(ChunkedUploadTest, GivesUpWhenTheServerStaysUnreachable) {
  SendFn down = [](const std::string&, const std::string&, const std::string&) {
    return Result<http::Response>(Unavailable("connection refused"));
  };
  Status s = UploadInChunks(down, digest_, file_, options_, nullptr);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("connection refused"), std::string::npos);
}

TEST_F(ChunkedUploadTest, AMissingFileIsNotFound) {
  Status s = UploadInChunks(Server(), digest_, (dir_ / "nope").string(), options_, nullptr);
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace kiln::cli
