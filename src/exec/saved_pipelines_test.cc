#include <gtest/gtest.h>

#include <filesystem>

#include "exec/pipeline_service.h"
#include "exec/pipeline_service_fixture.h"

namespace kiln::exec {
namespace {

namespace fs = std::filesystem;

std::string Spec(const std::string& name) {
  return "name: " + name +
         "\nsteps:\n"
         "  second:\n    command: [sh, -c, \"cat ${inputs.in} > ${outputs.out}\"]\n"
         "    inputs: {in: first.out}\n    outputs: {out: file}\n"
         "  first:\n    command: [sh, -c, \"echo hi > ${outputs.out}\"]\n"
         "    outputs: {out: file}\n";
}

SubmitRequest Request(const std::string& spec, const std::string& base_dir = "") {
  SubmitRequest request;
  request.spec_text = spec;
  request.file = "p.yaml";
  request.base_dir = base_dir;
  return request;
}

class SavedPipelinesTest : public testing::PipelineServiceFixture {};

TEST_F(SavedPipelinesTest, ValidateGivesPlanOrderAndStoresNothing) {
  Result<ValidatedPipeline> validated = pipelines_->Validate(Request(Spec("demo")));
  ASSERT_TRUE(validated.ok()) << validated.status().ToString();
  EXPECT_EQ(validated->name, "demo");
  EXPECT_EQ(validated->steps, (std::vector<std::string>{"first", "second"}));
  EXPECT_EQ(validated->base_dir, (dir_ / "pipelines" / "demo").string());
  EXPECT_FALSE(fs::exists(validated->base_dir));
  EXPECT_EQ(pipelines_->definitions().Get("demo").status().code(), StatusCode::kNotFound);
}

TEST_F(SavedPipelinesTest, ValidateNamesTheProblem) {
  Result<ValidatedPipeline> bad = pipelines_->Validate(Request("name: x\nsteps: [\n"));
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("p.yaml:"), std::string::npos) << bad.status().message();
  std::string unknown = Spec("demo");
  unknown.replace(unknown.find("first.out"), 9, "first.nope");
  bad = pipelines_->Validate(Request(unknown));
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("steps.second.inputs.in"), std::string::npos);
}

TEST_F(SavedPipelinesTest, SaveChecksTheNameAndCreatesTheDefaultFolder) {
  Result<pipeline::PipelineDefinition> mismatch =
      pipelines_->SavePipeline("other", Request(Spec("demo")));
  EXPECT_EQ(mismatch.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(mismatch.status().message().find("'demo'"), std::string::npos);
  EXPECT_NE(mismatch.status().message().find("'other'"), std::string::npos);
  EXPECT_EQ(pipelines_->definitions().Get("other").status().code(), StatusCode::kNotFound);
  Result<pipeline::PipelineDefinition> saved =
      pipelines_->SavePipeline("demo", Request(Spec("demo")));
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_EQ(saved->step_count, 2);
  EXPECT_TRUE(fs::is_directory(saved->base_dir));
  // Saving again without a base_dir keeps the stored one.
  Result<pipeline::PipelineDefinition> again =
      pipelines_->SavePipeline("demo", Request(Spec("demo")));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->base_dir, saved->base_dir);
}

TEST_F(SavedPipelinesTest, NamesThatWouldClimbOutNeedABaseDir) {
  Result<ValidatedPipeline> climbing = pipelines_->Validate(Request(Spec("a/../../x")));
  EXPECT_EQ(climbing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(climbing.status().message().find("base_dir"), std::string::npos);
  EXPECT_TRUE(pipelines_->Validate(Request(Spec("a/../../x"), dir_.string())).ok());
  EXPECT_TRUE(pipelines_->Validate(Request(Spec("team/demo"))).ok());
}

TEST_F(SavedPipelinesTest, SubmitRecordsTheDefinitionAndSavedOnesRunByName) {
  Result<Submission> submitted = pipelines_->Submit(Request(Spec("demo"), dir_.string()));
  ASSERT_TRUE(submitted.ok()) << submitted.status().ToString();
  pipelines_->WaitIdle();
  Result<pipeline::PipelineDefinition> stored = pipelines_->definitions().Get("demo");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->base_dir, dir_.string());
  EXPECT_EQ(stored->file, "p.yaml");
  Result<Submission> by_name = pipelines_->SubmitSaved("demo", SubmitRequest{});
  ASSERT_TRUE(by_name.ok()) << by_name.status().ToString();
  pipelines_->WaitIdle();
  Result<pipeline::PipelineRunRecord> run = pipelines_->records().Get(by_name->run_ids.at(0));
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->state, pipeline::RunState::kSucceeded) << run->error;
  EXPECT_EQ(run->base_dir, dir_.string());
  EXPECT_EQ(pipelines_->SubmitSaved("nope", SubmitRequest{}).status().code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace kiln::exec
