// Turning sweep overrides (choice, range, interval) into the points of a grid or random search.
// A point is a list of plain overrides (no sweeps) for ApplyOverrides. Pure functions;
// thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "pipeline/overrides.h"
#include "pipeline/pipeline_spec.h"

namespace kiln::pipeline {

// The cartesian product of the sweep overrides (choice items, range values), the first sweep
// varying slowest (Hydra's order). Every point holds all overrides in their original order: the
// plain ones copied, each sweep replaced by one value (op kept, `swept` set, text rewritten as
// [+|++]key=value). Without sweeps the result is one point. Errors: kInvalidArgument
// "override '<text>': ..." for an interval ("interval(...) needs --sample N") or an empty range;
// "the sweep has N points, more than the limit M" when the product exceeds max_points.
Result<std::vector<std::vector<Override>>> ExpandGrid(const std::vector<Override>& overrides,
                                                      size_t max_points = 10000);

// `n` random points, the same for the same arguments and seed (std::mt19937_64 with its own
// uniform mapping, so every standard library agrees). Each sweep override draws independently:
// choice -> a uniform item; range -> a uniform value of the range; interval(low,high) -> a
// uniform float in [low, high) printed with 6 significant digits, or, when both bounds are
// written as ints and the key does not name a pipeline param declared float, a uniform int in
// [low, high] (inclusive, as Optuna does). Plain overrides are copied into every point.
// Without any sweep override, every pipeline param not named by an override is sampled if it
// is an int or float declaring both min and max (ints inclusive, floats in [min, max)), an enum
// (uniform value) or a bool; these appear as NAME=value after the plain overrides.
// Errors: kInvalidArgument for n outside 1..10000, an empty range, and "nothing to sample: ..."
// when there are no sweeps and no samplable params.
Result<std::vector<std::vector<Override>>> SamplePoints(const std::vector<Override>& overrides,
                                                        const PipelineSpec& spec, size_t n,
                                                        uint64_t seed);

// "lr=0.1 depth=3": key=value of the swept overrides of a point (all of them when none is
// swept; deletes show as ~key). Never fails.
std::string DescribePoint(const std::vector<Override>& point);

}  // namespace kiln::pipeline
