#include "pipeline/dag_plan.h"

#include <algorithm>
#include <functional>
#include <queue>
#include <unordered_map>

namespace kiln::pipeline {
namespace {

Status BuildEdges(const PipelineSpec& spec, DagPlan* plan) {
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < spec.steps.size(); ++i) index.emplace(spec.steps[i].name, i);
  plan->upstream.assign(spec.steps.size(), {});
  plan->downstream.assign(spec.steps.size(), {});
  for (size_t i = 0; i < spec.steps.size(); ++i) {
    for (const auto& [input, binding] : spec.steps[i].inputs) {
      if (binding.kind != Binding::Kind::kStepOutput) continue;
      auto it = index.find(binding.step);
      if (it == index.end()) {
        return MarkedError(spec.file, binding.mark,
                           "steps." + spec.steps[i].name + ".inputs." + input,
                           "unknown step '" + binding.step + "'");
      }
      plan->upstream[i].push_back(it->second);
    }
  }
  for (size_t i = 0; i < spec.steps.size(); ++i) {
    auto& up = plan->upstream[i];
    std::sort(up.begin(), up.end());
    up.erase(std::unique(up.begin(), up.end()), up.end());
    for (size_t u : up) plan->downstream[u].push_back(i);
  }
  return Status::Ok();
}

// Every step left after Kahn's algorithm waits on another left-over step, so walking upstream
// from any of them must revisit a step; the revisited stretch is a cycle.
Status CycleError(const PipelineSpec& spec, const DagPlan& plan,
                  const std::vector<size_t>& waiting) {
  size_t start = 0;
  while (waiting[start] == 0) ++start;
  std::vector<size_t> walk;
  std::vector<int> seen_at(spec.steps.size(), -1);
  size_t current = start;
  while (seen_at[current] < 0) {
    seen_at[current] = static_cast<int>(walk.size());
    walk.push_back(current);
    for (size_t u : plan.upstream[current]) {
      if (waiting[u] > 0) {
        current = u;
        break;
      }
    }
  }
  std::vector<size_t> cycle(walk.begin() + seen_at[current], walk.end());
  std::reverse(cycle.begin(), cycle.end());  // upstream walk -> data-flow order
  std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
  std::string text = "cycle: ";
  for (size_t s : cycle) text += spec.steps[s].name + " -> ";
  text += spec.steps[cycle.front()].name;
  const StepSpec& first = spec.steps[cycle.front()];
  return MarkedError(spec.file, first.mark, "steps." + first.name, text);
}

}  // namespace

Result<DagPlan> PlanDag(const PipelineSpec& spec) {
  DagPlan plan;
  KILN_RETURN_IF_ERROR(BuildEdges(spec, &plan));
  std::vector<size_t> waiting(spec.steps.size());
  std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
  for (size_t i = 0; i < spec.steps.size(); ++i) {
    waiting[i] = plan.upstream[i].size();
    if (waiting[i] == 0) ready.push(i);
  }
  while (!ready.empty()) {
    const size_t step = ready.top();
    ready.pop();
    plan.order.push_back(step);
    for (size_t d : plan.downstream[step]) {
      if (--waiting[d] == 0) ready.push(d);
    }
  }
  if (plan.order.size() != spec.steps.size()) return CycleError(spec, plan, waiting);
  return plan;
}

}  // namespace kiln::pipeline
