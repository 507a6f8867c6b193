#include "api/web_ui.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "http/message.h"

namespace kiln::api {
namespace {

namespace fs = std::filesystem;

std::string HeaderOf(const http::Response& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

class WebUiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("kiln-webui-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "assets");
    std::ofstream(root_ / "index.html") << "<html>app</html>";
    std::ofstream(root_ / "assets" / "x.js") << "1";
    std::ofstream(root_ / "favicon.ico") << "ico";
  }
  void TearDown() override { fs::remove_all(root_); }

  http::Response Get(const std::string& path, const std::string& method = "GET") {
    http::Request request;
    request.method = method;
    request.path = path;
    request.target = path;
    return WebUiHandler(root_.string())(request);
  }

  fs::path root_;
};

TEST(WebUiPathsTest, ApiPathsAreNotTheUis) {
  EXPECT_TRUE(IsApiPath("/api/v1/nope"));
  EXPECT_TRUE(IsApiPath("/api"));
  EXPECT_TRUE(IsApiPath("/ajax-api/2.0/mlflow/x"));
  EXPECT_TRUE(IsApiPath("/serve/iris/predict"));
  EXPECT_TRUE(IsApiPath("/v2/models"));
  EXPECT_TRUE(IsApiPath("/metrics"));
  EXPECT_TRUE(IsApiPath("/get-artifact"));
  EXPECT_TRUE(IsApiPath("/model-versions/get-artifact"));
  EXPECT_FALSE(IsApiPath("/model-versions"));
  EXPECT_FALSE(IsApiPath("/"));
  EXPECT_FALSE(IsApiPath("/pipelines/iris"));
  EXPECT_FALSE(IsApiPath("/apix"));
  EXPECT_FALSE(IsApiPath("/assets/api/x.js"));
}

TEST_F(WebUiTest, ServesIndexAndAssetsWithTheirCaching) {
  http::Response index = Get("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.file_path, fs::canonical(root_ / "index.html").string());
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(HeaderOf(index, "Cache-Control"), "no-cache");
  http::Response js = Get("/assets/x.js", "HEAD");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(HeaderOf(js, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(Get("/favicon.ico").content_type, "image/x-icon");
}

TEST_F(WebUiTest, ClientRoutesGetIndexButMissingAssetsDoNot) {
  http::Response route = Get("/pipelines/iris");
  EXPECT_EQ(route.status, 200);
  EXPECT_EQ(route.file_path, fs::canonical(root_ / "index.html").string());
  EXPECT_EQ(Get("/assets/gone-123.js").status, 404);
}

// Its errors come from the one mapping (api/error_mapping.h), like every other route's.
TEST_F(WebUiTest, ErrorsUseTheOneMapping) {
  http::Response traversal = Get("/../etc/passwd");
  EXPECT_EQ(traversal.status, 400);
  EXPECT_NE(traversal.body.find("\"error_code\":\"INVALID_PARAMETER_VALUE\""), std::string::npos)
      << traversal.body;
  http::Response missing = Get("/assets/gone-123.js");
  EXPECT_NE(missing.body.find("\"error_code\":\"RESOURCE_DOES_NOT_EXIST\""), std::string::npos)
      << missing.body;
}

TEST_F(WebUiTest, RefusesTraversalAndLeavesApiPathsAndOtherMethodsAlone) {
  EXPECT_EQ(Get("/../etc/passwd").status, 400);
  EXPECT_EQ(Get("/assets/../../etc/passwd").status, 400);
  http::Response api = Get("/api/v1/nope");
  EXPECT_EQ(api.status, 404);
  EXPECT_NE(api.body.find("ENDPOINT_NOT_FOUND"), std::string::npos);
  EXPECT_EQ(Get("/pipelines/iris", "POST").status, 404);
}

TEST_F(WebUiTest, WithoutIndexEveryUiPathGetsTheNotBuiltPage) {
  fs::remove(root_ / "index.html");
  EXPECT_FALSE(HasWebUi(root_.string()));
  for (const char* path : {"/", "/pipelines/iris", "/assets/x.js"}) {
    http::Response page = Get(path);
    EXPECT_EQ(page.status, 200) << path;
    EXPECT_FALSE(page.file_path.has_value());
    EXPECT_NE(page.body.find("npm run build"), std::string::npos);
  }
}

}  // namespace
}  // namespace kiln::api
