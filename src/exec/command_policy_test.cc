#include "exec/command_policy.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "exec/pipeline_service.h"
#include "exec/pipeline_service_fixture.h"
#include "pipeline/module_folder.h"

namespace kiln::exec {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPeer = "192.0.2.7";

constexpr const char* kInline =
    "name: inline\nsteps:\n  hello:\n    command: [sh, -c, \"touch marker\"]\n";

// A service over the fixture's stores that refuses network clients' commands.
class CommandPolicyTest : public testing::PipelineServiceFixture {
 protected:
  void SetUp() override {
    PipelineServiceFixture::SetUp();
    project_ = dir_ / "pipelines" / "project";
    fs::create_directories(project_ / "modules" / "local");
    std::ofstream(project_ / "modules" / "local" / "module.yaml")
        << "name: local\nversion: 1.0.0\noutputs: {out: {type: file}}\n"
           "command: [sh, -c, \"echo hi > ${outputs.out}\"]\n";
    fs::create_directories(dir_ / "lib" / "runner");
    std::ofstream(dir_ / "lib" / "runner" / "module.yaml")
        << "name: runner\nversion: 1.0.0\nparams: {script: {type: string, default: 'true'},"
           " n: {type: int, default: 1}}\noutputs: {out: {type: file}}\n"
           "command: [bash, -ec, \"${params.script}\", \"${params.n}\"]\n";
    PipelineServiceOptions options;
    options.data_dir = dir_.string();
    options.allow_remote_commands = false;
    const std::string lib = (dir_ / "lib").string();
    options.published_modules = [lib]() -> Result<std::vector<pipeline::ModuleManifest>> {
      return pipeline::ScanModuleRoot(lib);
    };
    restricted_ = std::make_unique<PipelineService>(*store_, *tracking_, *artifacts_, options);
  }
  void TearDown() override {
    restricted_.reset();
    PipelineServiceFixture::TearDown();
  }

  SubmitRequest Request(const std::string& spec, const std::string& peer) {
    SubmitRequest request;
    request.spec_text = spec;
    request.file = "p.yaml";
    request.base_dir = project_.string();
    request.peer = peer;
    return request;
  }

  Status Refusal(const std::string& spec) {
    Result<ValidatedPipeline> validated = restricted_->Validate(Request(spec, kPeer));
    EXPECT_FALSE(validated.ok());
    return validated.status();
  }

  fs::path project_;
  std::unique_ptr<PipelineService> restricted_;
};

TEST_F(CommandPolicyTest, InlineCommandsFromTheNetworkAreRefusedNamingStepAndFlag) {
  Result<Submission> submitted = restricted_->Submit(Request(kInline, kPeer));
  ASSERT_FALSE(submitted.ok());
  EXPECT_EQ(submitted.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(submitted.status().message(),
            "p.yaml:3:3: steps.hello: an inline command step; this server does not run commands "
            "sent over the network (start it with --allow-remote-commands to allow them)");
  EXPECT_EQ(restricted_->definitions().Get("inline").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(restricted_->SavePipeline("inline", Request(kInline, kPeer)).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(restricted_->definitions().Get("inline").status().code(), StatusCode::kNotFound);
}

TEST_F(CommandPolicyTest, InProcessCallersAndAllowingServersRunCommands) {
  EXPECT_TRUE(restricted_->Validate(Request(kInline, "")).ok());
  EXPECT_TRUE(pipelines_->Validate(Request(kInline, kPeer)).ok());
}

TEST_F(CommandPolicyTest, ProjectCommandModulesAreRefused) {
  Status refused = Refusal("name: p\nsteps:\n  a:\n    uses: local@1.0.0\n");
  EXPECT_EQ(refused.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(refused.message().find("steps.a: module local@1.0.0 is a command module from the "
                                   "pipeline's folder"),
            std::string::npos)
      << refused.message();
}

TEST_F(CommandPolicyTest, ModulesThatRunAParamAsCodeAreRefusedOnlyWhenTheStepSetsIt) {
  Status refused =
      Refusal("name: p\nsteps:\n  a:\n    uses: runner@1.0.0\n    params: {script: 'touch x'}\n");
  EXPECT_EQ(refused.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(refused.message().find("module runner@1.0.0 runs its param 'script' as code"),
            std::string::npos)
      << refused.message();
  // The module's own default and a number param are the module author's choice, not the client's.
  EXPECT_TRUE(restricted_
                  ->Validate(Request("name: p\nsteps:\n  a:\n    uses: runner@1.0.0\n"
                                     "    params: {n: 3}\n",
                                     kPeer))
                  .ok());
}

TEST_F(CommandPolicyTest, ResumeOverTheNetworkIsCheckedToo) {
  Result<Submission> local = restricted_->Submit(Request(kInline, ""));
  ASSERT_TRUE(local.ok()) << local.status().message();
  restricted_->WaitIdle();
  Result<Submission> resumed = restricted_->Resume(local->run_ids.at(0), true, kPeer);
  EXPECT_EQ(resumed.status().code(), StatusCode::kPermissionDenied);
  Result<Submission> saved = restricted_->SubmitSaved("inline", Request("", kPeer));
  EXPECT_EQ(saved.status().code(), StatusCode::kPermissionDenied);
}

TEST_F(CommandPolicyTest, CommandModulesCannotBePublishedFromTheNetwork) {
  const std::string command = "name: m\nversion: 1.0.0\ncommand: [sh, -c, 'true']\n";
  const std::string builtin = "name: m\nversion: 1.0.0\nbuiltin: csv\n";
  EXPECT_EQ(restricted_->CheckModulePublish(command, kPeer).code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(restricted_->CheckModulePublish(builtin, kPeer).ok());
  EXPECT_TRUE(restricted_->CheckModulePublish(command, "").ok());
  EXPECT_TRUE(pipelines_->CheckModulePublish(command, kPeer).ok());
}

TEST_F(CommandPolicyTest, NetworkClientsPipelineFoldersMustLieInTheRoots) {
  SubmitRequest outside = Request(kInline, kPeer);
  outside.base_dir = "/";
  EXPECT_EQ(pipelines_->Validate(outside).status().code(), StatusCode::kPermissionDenied);
  outside.peer = "";
  EXPECT_TRUE(pipelines_->Validate(outside).ok());
  // Without a base_dir a pipeline lives in <data>/pipelines/<name>, inside the roots.
  SubmitRequest absent = Request(kInline, kPeer);
  absent.base_dir = "";
  Result<ValidatedPipeline> validated = pipelines_->Validate(absent);
  ASSERT_TRUE(validated.ok()) << validated.status().message();
  EXPECT_EQ(validated->base_dir, (dir_ / "pipelines" / "inline").string());
}

}  // namespace
}  // namespace kiln::exec
