// Test-only: an App over a temporary data folder per test, driven in-process through its
// router. Included by the api tests; not part of the library.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "api/app.h"

namespace kiln::api {

class AppFixture : public ::testing::Test {
 protected:
  struct Reply {
    int status;
    nlohmann::json body;
  };

  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "kiln_api_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto app = App::Open((dir_ / "data").string());
    ASSERT_TRUE(app.ok()) << app.status().ToString();
    app_ = std::move(*app);
  }
  void TearDown() override {
    app_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // Handles one request; a non-empty body is sent as `content_type`. The answer must be JSON.
  Reply Call(const std::string& method, const std::string& path, const std::string& body = "",
             std::multimap<std::string, std::string> query = {},
             const std::string& content_type = "application/json") {
    http::Request request;
    request.method = method;
    request.path = path;
    request.target = path;
    request.body = body;
    request.query = std::move(query);
    if (!body.empty()) request.headers["content-type"] = content_type;
    http::Response response = app_->Handle(request);
    nlohmann::json parsed = nlohmann::json::parse(response.body, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << method << " " << path << ": " << response.body;
    return {response.status, parsed};
  }

  std::filesystem::path dir_;
  std::unique_ptr<App> app_;
};

}  // namespace kiln::api
