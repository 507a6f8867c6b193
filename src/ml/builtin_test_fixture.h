// Test-only: a temporary folder per test and running builtins through request files, as the
// runner does. Included by the ml tests; not part of the library.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "ml/builtin_step.h"
#include "ml/builtins.h"

namespace kiln::ml {

class BuiltinFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "kiln_builtin_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  // Writes `request` as req.json and loads it.
  Result<BuiltinStep> Request(const nlohmann::json& request) {
    std::ofstream(Path("req.json")) << request.dump();
    return BuiltinStep::Load(Path("req.json"));
  }
  // Loads and runs `request`.
  Status RunRequest(const nlohmann::json& request) {
    KILN_ASSIGN_OR_RETURN(BuiltinStep step, Request(request));
    return RunBuiltin(step);
  }

  std::filesystem::path dir_;
};

}  // namespace kiln::ml
