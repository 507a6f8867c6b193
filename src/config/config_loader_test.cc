#include "config/config_loader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace kiln::config {
namespace {

class ConfigLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("kiln-config-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& text) {
    const std::string path = (dir_ / "kiln.yaml").string();
    std::ofstream(path) << text;
    return path;
  }

  std::filesystem::path dir_;
};

TEST_F(ConfigLoaderTest, DefaultsNameTheirSourceAndExpandTheDataFolder) {
  ConfigInputs inputs;
  inputs.flags["data"] = "/srv/kiln";
  Result<Config> config = ResolveConfig(inputs);
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->Get("data"), "/srv/kiln");
  EXPECT_EQ(config->SourceOf("data"), "--data");
  EXPECT_EQ(config->Get("store"), "sqlite:////srv/kiln/kiln.db");
  EXPECT_EQ(config->Get("artifacts"), "file:///srv/kiln/artifacts");
  EXPECT_EQ(config->SourceOf("store"), "default");
  EXPECT_EQ(config->GetNumber("port"), 8080);
  EXPECT_EQ(config->Get("executor"), "local");
}

TEST_F(ConfigLoaderTest, FlagsBeatEnvironmentBeatsFileBeatsDefault) {
  const std::string file = Write("port: 9000\nhost: 0.0.0.0\nthreads: 3\nlog_format: json\n");
  ConfigInputs inputs;
  inputs.file = file;
  inputs.env = {{"KILN_PORT", "9100"}, {"KILN_HOST", "::1"}, {"UNRELATED", "x"}};
  inputs.flags = {{"port", "9200"}};
  Result<Config> config = ResolveConfig(inputs);
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->Get("port"), "9200");
  EXPECT_EQ(config->SourceOf("port"), "--port");
  EXPECT_EQ(config->Get("host"), "::1");
  EXPECT_EQ(config->SourceOf("host"), "KILN_HOST");
  EXPECT_EQ(config->Get("threads"), "3");
  EXPECT_EQ(config->SourceOf("threads"), file + ":3:10");
  EXPECT_EQ(config->SourceOf("max_body_mb"), "default");
  const std::string described = config->Describe();
  EXPECT_NE(described.find("\nport "), std::string::npos) << described;
  EXPECT_NE(described.find(" = 9200  (--port)\n"), std::string::npos) << described;
  EXPECT_NE(described.find(" = json  (" + file + ":4:13)\n"), std::string::npos) << described;
}

TEST_F(ConfigLoaderTest, AnUnknownKeyNamesTheFileLineAndClosestKey) {
  const std::string file = Write("host: 127.0.0.1\nprot: 9000\n");
  Result<Config> config = ResolveConfig({{}, {}, file});
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(config.status().message().find(file + ":2:1: unknown setting 'prot'; did you mean "
                                                  "'port'?"),
            std::string::npos)
      << config.status().message();
}

TEST_F(ConfigLoaderTest, WrongTypesNameKeyAndSource) {
  const std::string file = Write("port: eighty\n");
  Result<Config> from_file = ResolveConfig({{}, {}, file});
  ASSERT_FALSE(from_file.ok());
  EXPECT_EQ(from_file.status().message(),
            file + ":1:7: port: expected an integer from 0 to 65535, got 'eighty'");
  Result<Config> from_env = ResolveConfig({{}, {{"KILN_PORT", "70000"}}, ""});
  ASSERT_FALSE(from_env.ok());
  EXPECT_EQ(from_env.status().message(),
            "KILN_PORT: port: expected an integer from 0 to 65535, got '70000'");
  Result<Config> from_flag = ResolveConfig({{{"log_format", "xml"}}, {}, ""});
  ASSERT_FALSE(from_flag.ok());
  EXPECT_EQ(from_flag.status().message(),
            "--log-format: log_format: expected one of text, json, got 'xml'");
  Result<Config> not_uri = ResolveConfig({{{"store", "/tmp/kiln.db"}}, {}, ""});
  ASSERT_FALSE(not_uri.ok());
  EXPECT_NE(not_uri.status().message().find("--store: store: expected a URI"), std::string::npos);
}

TEST_F(ConfigLoaderTest, FileShapeMistakesAreRefused) {
  for (const auto& [text, needle] : std::vector<std::pair<std::string, std::string>>{
           {"- port\n", ":1:1: expected a mapping of settings"},
           {"port: [1, 2]\n", ":1:7: port: expected a single value"},
           {"port: 1\nport: 2\n", ":2:1: port: set twice"},
           {"port: 1\n  host: [\n", ":2:"},
       }) {
    const std::string file = Write(text);
    Result<Config> config = ResolveConfig({{}, {}, file});
    ASSERT_FALSE(config.ok()) << text;
    EXPECT_NE(config.status().message().find(file + needle), std::string::npos)
        << text << " -> " << config.status().message();
  }
  Result<Config> missing = ResolveConfig({{}, {}, (dir_ / "nope.yaml").string()});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("--config: cannot read"), std::string::npos);
  Result<Config> empty = ResolveConfig({{}, {}, Write("")});
  EXPECT_TRUE(empty.ok());
}

TEST_F(ConfigLoaderTest, RefuseNamesWhereTheValueCameFrom) {
  Result<Config> config = ResolveConfig({{{"store", "mysql://db/kiln"}}, {}, ""});
  ASSERT_TRUE(config.ok());
  Status refused = config->Refuse("store", "unknown metadata store scheme 'mysql'");
  EXPECT_EQ(refused.message(), "store (from --store): unknown metadata store scheme 'mysql'");
}

}  // namespace
}  // namespace kiln::config
