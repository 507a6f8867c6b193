// A test fixture shared by the exec tests: a temporary data directory with a SQLite store, a
// local artifact store, tracking and a PipelineService over them, all removed after the test.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "artifacts/artifact_store.h"
#include "exec/pipeline_service.h"
#include "store/meta_store.h"
#include "tracking/tracking_service.h"

namespace kiln::exec::testing {

class PipelineServiceFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "kiln_exec_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto store = store::OpenSqliteStore((dir_ / "kiln.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    auto artifacts = artifacts::OpenLocalArtifactStore((dir_ / "artifacts").string());
    ASSERT_TRUE(artifacts.ok());
    artifacts_ = std::move(*artifacts);
    tracking_ = std::make_unique<tracking::TrackingService>(*store_, "mlflow-artifacts:");
    ASSERT_TRUE(tracking_->Init().ok());
    PipelineServiceOptions options;
    options.data_dir = dir_.string();
    pipelines_ = std::make_unique<PipelineService>(*store_, *tracking_, *artifacts_, options);
  }
  void TearDown() override {
    if (pipelines_) pipelines_->CancelAll();
    pipelines_.reset();
    tracking_.reset();
    artifacts_.reset();
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::MetaStore> store_;
  std::unique_ptr<artifacts::ArtifactStore> artifacts_;
  std::unique_ptr<tracking::TrackingService> tracking_;
  std::unique_ptr<PipelineService> pipelines_;
};

}  // namespace kiln::exec::testing
