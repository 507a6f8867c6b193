// The execution order of a pipeline's steps.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/status.h"
#include "pipeline/pipeline_spec.h"

namespace kiln::pipeline {

struct DagPlan {
  // Step indexes (into PipelineSpec::steps) in a topological order; among steps that are ready
  // together, the one declared first in the file comes first, so the order is deterministic.
  std::vector<size_t> order;
  // upstream[i]: the distinct steps step i reads outputs from, ascending.
  std::vector<std::vector<size_t>> upstream;
  // downstream[i]: the steps that read outputs of step i, ascending.
  std::vector<std::vector<size_t>> downstream;
};

// Plans the DAG formed by the step-output bindings. Pure function; O((V + E) log V).
// Errors: kInvalidArgument at the binding for an input bound to an unknown step, or at the
// first step of a cycle: "<file>:<l>:<c>: steps.a: cycle: a -> b -> c -> a" (data-flow order).
Result<DagPlan> PlanDag(const PipelineSpec& spec);

}  // namespace kiln::pipeline
