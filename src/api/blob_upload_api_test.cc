// The resumable blob upload routes, through the router in-process.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "api/app.h"
#include "api/app_test_fixture.h"
#include "api/v1/blob_upload_routes.h"
#include "artifacts/artifact_store.h"

namespace kiln::api {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

TEST(ParseUploadOffsetTest, AcceptsPlainByteCounts) {
  EXPECT_EQ(*v1::ParseUploadOffset("0"), 0);
  EXPECT_EQ(*v1::ParseUploadOffset("8388608"), 8388608);
  EXPECT_EQ(*v1::ParseUploadOffset("999999999999999999"), 999999999999999999);
}

TEST(ParseUploadOffsetTest, RefusesAnythingElseNamingTheField) {
  for (const char* bad : {"", "-1", "+1", "1.5", "abc", "1e3", " 1", "0x10", "9999999999999999999",
                          "99999999999999999999999999"}) {
    auto parsed = v1::ParseUploadOffset(std::string(bad));
    ASSERT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(parsed.status().message().find("'offset'"), std::string::npos) << bad;
  }
  auto missing = v1::ParseUploadOffset(std::nullopt);
  ASSERT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("'offset'"), std::string::npos);
}

class BlobUploadApiTest : public AppFixture {
 protected:
  // Chunks are raw bytes; every answer of these routes is a JSON object.
  Reply Call(const std::string& method, const std::string& path, const std::string& body = "",
             std::multimap<std::string, std::string> query = {}) {
    Reply reply =
        AppFixture::Call(method, path, body, std::move(query), "application/octet-stream");
    EXPECT_TRUE(reply.body.is_object()) << method << " " << path << ": " << reply.body.dump();
    return reply;
  }
  Reply Patch(const std::string& digest, const std::string& offset, const std::string& body) {
    return Call("PATCH", Upload(digest), body, {{"offset", offset}});
  }
  Reply Finish(const std::string& digest) { return Call("POST", Upload(digest) + "/finish"); }
  static std::string Upload(const std::string& digest) {
    return "/api/v1/blobs/" + digest + "/upload";
  }
};

TEST_F(BlobUploadApiTest, ChunksThenFinishStoreTheBlob) {
  const std::string content = "abcdefghij";
  const std::string digest = artifacts::Sha256Hex(content);
  Reply state = Call("GET", Upload(digest));
  EXPECT_EQ(state.status, 200);
  EXPECT_EQ(state.body, json({{"digest", digest}, {"received", 0}, {"stored", false}}));
  EXPECT_EQ(Patch(digest, "0", "abcd").body["received"], 4);
  EXPECT_EQ(Patch(digest, "4", "efghij").body["received"], 10);
  Reply finished = Finish(digest);
  EXPECT_EQ(finished.status, 200) << finished.body.dump();
  EXPECT_EQ(finished.body, json({{"digest", digest}, {"size", 10}}));
  EXPECT_EQ(*app_->artifacts().GetBlob(digest), content);
  EXPECT_EQ(Finish(digest).status, 200);  // idempotent
  EXPECT_EQ(Call("GET", Upload(digest)).body["stored"], true);
}

TEST_F(BlobUploadApiTest, WrongOffsetIs409WithTheStagedSize) {
  const std::string digest = artifacts::Sha256Hex("abcdef");
  Patch(digest, "0", "abc");
  Reply conflict = Patch(digest, "1", "bcdef");
  EXPECT_EQ(conflict.status, 409);
  EXPECT_EQ(conflict.body["error_code"], "UPLOAD_OFFSET_MISMATCH");
  EXPECT_EQ(conflict.body["received"], 3);
  EXPECT_NE(conflict.body["message"].get<std::string>().find("resume at offset 3"),
            std::string::npos);
  EXPECT_EQ(Patch(digest, "3", "def").status, 200);
  EXPECT_EQ(Finish(digest).status, 200);
}

TEST_F(BlobUploadApiTest, ClientMistakesAre4xxNamingTheField) {
  const std::string digest = artifacts::Sha256Hex("x");
  for (const std::string& bad : {std::string("ABC"), std::string(64, 'G'), std::string("..")}) {
    Reply r = Patch(bad, "0", "x");
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_NE(r.body["message"].get<std::string>().find("digest"), std::string::npos);
    EXPECT_EQ(Finish(bad).status, 400);
    EXPECT_EQ(Call("GET", Upload(bad)).status, 400);
    EXPECT_EQ(Call("DELETE", Upload(bad)).status, 400);
  }
  for (const char* bad : {"-1", "x", ""}) {
    Reply r = Patch(digest, bad, "x");
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_NE(r.body["message"].get<std::string>().find("'offset'"), std::string::npos);
  }
  Reply missing = Call("PATCH", Upload(digest), "x");
  EXPECT_EQ(missing.status, 400);
  Reply none = Finish(digest);
  EXPECT_EQ(none.status, 404);
  EXPECT_EQ(none.body["error_code"], "RESOURCE_DOES_NOT_EXIST");
  EXPECT_EQ(Call("GET", Upload(digest)).body["received"], 0);  // nothing was staged
}

TEST_F(BlobUploadApiTest, FinishWithOtherContentIs400AndStoresNothing) {
  const std::string digest = artifacts::Sha256Hex("expected");
  Patch(digest, "0", "something else");
  Reply r = Finish(digest);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["error_code"], "INVALID_PARAMETER_VALUE");
  EXPECT_NE(r.body["message"].get<std::string>().find(digest), std::string::npos);
  EXPECT_EQ(app_->artifacts().LocateBlob(digest).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Call("GET", Upload(digest)).body["received"], 0);
  EXPECT_EQ(Finish(digest).status, 404);
}

TEST_F(BlobUploadApiTest, DeleteDiscardsTheStagedUpload) {
  const std::string digest = artifacts::Sha256Hex("abc");
  Patch(digest, "0", "ab");
  EXPECT_EQ(Call("DELETE", Upload(digest)).body["discarded"], true);
  EXPECT_EQ(Call("DELETE", Upload(digest)).body["discarded"], false);
  EXPECT_EQ(Call("GET", Upload(digest)).body["received"], 0);
}

}  // namespace
}  // namespace kiln::api
