// executor/javascript/requests: what a JavaScript worker is asked to do, as
// data (the worker is another process), and the in-process runners that
// answer it.
#pragma once

#include "bora/core/value.h"
#include "bora/executor/action.h"
#include "bora/executor/dynamic_action.h"

namespace bora::executor::javascript {

Value script_request(const Value& input);
Value dynamic_request(const DynamicActionCode& code, const Value& input, const ActionRunContext& ctx);

// The runners, called inside a worker.
ActionResult run_script_here(const Value& input);  // std.javascript
ActionResult run_dynamic_here(const DynamicActionCode& code, const Value& input, const ActionRunContext& ctx);

}  // namespace bora::executor::javascript
