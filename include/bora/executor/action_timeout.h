// executor/action_timeout: Mistral's executor runs an action under
// eventlet's Timeout when it is given one (the `timeout` param of an action
// run on its own, POST /v2/action_executions): at the deadline the action
// is interrupted, and the run fails with "The action raised an exception
// [..., msg='1 second']". Bora's actions poll ActionRunContext::should_stop,
// which sees the deadline, and give up; whatever they return past it, the
// run is that timeout's failure.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "bora/core/value.h"
#include "bora/executor/action.h"
#include "bora/executor/action_descriptor.h"

namespace bora::executor {

// The action an error text names (raised_message): a dynamic action's, a
// std or pack action's; nullopt for a name neither knows.
std::optional<ActionDescriptor> descriptor_of(const std::string& action_name, bool dynamic);

// eventlet.Timeout's text for these seconds, as the user gave them:
// "1 second", "2 seconds", "0.5 seconds".
std::string eventlet_timeout_text(const Value& seconds);

// Runs `run` with ctx.deadline `seconds` from now (a number > 0; anything
// else: no deadline). Past the deadline, the result is the failure
// raised_message(action, action_execution_id, eventlet_timeout_text(seconds))
// (an action no descriptor names: that text alone).
ActionResult run_within(const Value& seconds, const std::optional<ActionDescriptor>& action,
                        const std::string& action_execution_id,
                        ActionRunContext& ctx, const std::function<ActionResult(const ActionRunContext&)>& run);

}  // namespace bora::executor
