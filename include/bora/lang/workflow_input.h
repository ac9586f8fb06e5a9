// lang/workflow_input: checking the input given to a workflow (an
// execution, a cron or event trigger) against the workflow's declared input,
// with Mistral's message (engine/utils.py validate_input).
#pragma once

#include "bora/core/error.h"
#include "bora/core/value.h"
#include "bora/lang/specs.h"

namespace bora::lang {

// BadInput "Invalid input [name=wf, class=DirectWorkflowSpec,
// missing=['a'], unexpected=['b']]" when a parameter without a default is
// missing or an unknown one is given; input may be null (= {}).
Result<void> check_workflow_input(const WorkflowSpec& spec, const Value& input);

}  // namespace bora::lang
