#include "pipeline/dag_plan.h"

#include <gtest/gtest.h>

#include <string>

namespace kiln::pipeline {
namespace {

std::string Step(const std::string& name, const std::string& inputs) {
  return "  " + name + ": {command: [x], inputs: {" + inputs + "}, outputs: {o: file}}\n";
}

PipelineSpec MustParse(const std::string& text) {
  Result<PipelineSpec> spec = ParsePipeline(text, "p.yaml");
  EXPECT_TRUE(spec.ok()) << spec.status().message();
  return spec.ok() ? std::move(spec).value() : PipelineSpec{};
}

TEST(DagPlanTest, OrderIsTopologicalAndFollowsTheFile) {
  PipelineSpec spec = MustParse("name: p\nsteps:\n" + Step("c", "i: b.o, j: a.o") +
                                Step("b", "i: a.o") + Step("a", "") + Step("d", ""));
  Result<DagPlan> plan = PlanDag(spec);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(plan->order, (std::vector<size_t>{2, 1, 0, 3}));
  EXPECT_EQ(plan->upstream[0], (std::vector<size_t>{1, 2}));
  EXPECT_EQ(plan->downstream[2], (std::vector<size_t>{0, 1}));
}

TEST(DagPlanTest, ThousandStepChain) {
  // Declared in reverse so the plan has to reorder everything.
  std::string text = "name: p\nsteps:\n";
  for (int i = 999; i >= 0; --i) {
    text += Step("s" + std::to_string(i), i ? "i: s" + std::to_string(i - 1) + ".o" : "");
  }
  PipelineSpec spec = MustParse(text);
  Result<DagPlan> plan = PlanDag(spec);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  ASSERT_EQ(plan->order.size(), 1000u);
  for (size_t k = 0; k < 1000; ++k)
    EXPECT_EQ(spec.steps[plan->order[k]].name, "s" + std::to_string(k));
}

TEST(DagPlanTest, WideDag) {
  std::string text = "name: p\nsteps:\n" + Step("root", "");
  std::string joins;
  for (int i = 0; i < 500; ++i) {
    text += Step("w" + std::to_string(i), "i: root.o");
    joins +=
        (i ? ", " : "") + std::string("i") + std::to_string(i) + ": w" + std::to_string(i) + ".o";
  }
  text += Step("sink", joins);
  PipelineSpec spec = MustParse(text);
  Result<DagPlan> plan = PlanDag(spec);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  ASSERT_EQ(plan->order.size(), 502u);
  EXPECT_EQ(plan->order.front(), 0u);
  EXPECT_EQ(plan->order.back(), 501u);
  for (size_t k = 1; k <= 500; ++k) EXPECT_EQ(plan->order[k], k);
  EXPECT_EQ(plan->upstream[501].size(), 500u);
  EXPECT_EQ(plan->downstream[0].size(), 500u);
}

TEST(DagPlanTest, SelfLoopAndUnknownStep) {
  Result<DagPlan> plan = PlanDag(MustParse("name: p\nsteps:\n" + Step("a", "i: a.o")));
  EXPECT_EQ(plan.status().message(), "p.yaml:3:3: steps.a: cycle: a -> a");
  plan = PlanDag(MustParse("name: p\nsteps:\n" + Step("a", "i: q.o")));
  EXPECT_EQ(plan.status().message(), "p.yaml:3:33: steps.a.inputs.i: unknown step 'q'");
}

}  // namespace
}  // namespace kiln::pipeline
