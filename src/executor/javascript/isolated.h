// executor/javascript/isolated: runs JavaScript in worker processes
// (executor/workers/worker_process).
// duktape (as Debian builds it) cannot be interrupted, so a script that
// loops forever would hold an executor thread, and the server's shutdown,
// for ever. In a worker process it can be killed: when the action is
// cancelled or times out (ActionRunContext::should_stop), the worker is
// killed and replaced. Workers are this same binary started with
// BORA_JS_WORKER set (any program that links the executor can serve), kept
// and reused, so a run costs a pipe round trip, not a process start; they
// die with Bora (PR_SET_PDEATHSIG, and end of input).
#pragma once

#include "bora/core/value.h"
#include "bora/executor/action.h"

namespace bora::executor::javascript {

// request: {"kind": "script", "input": {...}} (std.javascript) or
// {"kind": "dynamic", "code": {...}, "input": ..., "context": {...}}.
ActionResult run_isolated(const Value& request, const ActionRunContext& ctx);

// What a worker does with one request (runs inside the worker).
ActionResult handle_request(const Value& request);

}  // namespace bora::executor::javascript
