// Checks a parsed pipeline against the modules it uses, before anything runs.
#pragma once

#include "common/status.h"
#include "pipeline/module_library.h"
#include "pipeline/pipeline_spec.h"

namespace kiln::pipeline {

// OK if every step's module exists, its params are known, typed and in range (references must
// name a pipeline param of a compatible type), required params and inputs are set, every input
// is bound to an existing output of the right artifact type, and the steps form no cycle.
// Errors: the first problem in file order, as kInvalidArgument
// "<file>:<line>:<col>: steps.<step>.<field>: <problem>". Thread-safe if `library` is.
Status ValidatePipeline(const PipelineSpec& spec, const ModuleLibrary& library);

}  // namespace kiln::pipeline
