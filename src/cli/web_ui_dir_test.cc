#include "cli/web_ui_dir.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace kiln::cli {
namespace {

namespace fs = std::filesystem;

class WebUiDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("kiln-uidir-" + std::to_string(::getpid()));
    fs::remove_all(base_);
    fs::create_directories(base_ / "build");
  }
  void TearDown() override { fs::remove_all(base_); }

  std::string Built(const std::string& relative) {
    fs::create_directories(base_ / relative);
    std::ofstream(base_ / relative / "index.html") << "x";
    return (base_ / relative).string();
  }
  std::string exe_dir() const { return (base_ / "build").string(); }

  fs::path base_;
};

TEST_F(WebUiDirTest, NothingBuiltFindsNothing) {
  EXPECT_EQ(FindWebUiDir(exe_dir(), nullptr), "");
  EXPECT_EQ(FindWebUiDir(exe_dir(), base_.c_str()), "");  // no index.html there
}

TEST_F(WebUiDirTest, PrefersEnvThenCheckoutThenInstall) {
  const std::string installed = Built("share/kiln/web");
  EXPECT_EQ(FindWebUiDir(exe_dir(), nullptr), installed);
  const std::string checkout = Built("web/dist");
  EXPECT_EQ(FindWebUiDir(exe_dir(), nullptr), checkout);
  const std::string env = Built("elsewhere");
  EXPECT_EQ(FindWebUiDir(exe_dir(), env.c_str()), env);
}

}  // namespace
}  // namespace kiln::cli
