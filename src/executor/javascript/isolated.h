// executor/javascript/isolated: runs one JavaScript action in a child
// process. duktape (as Debian builds it) cannot be interrupted, so a script
// that loops forever would hold an executor thread, and the server's
// shutdown, for ever. In a child it can be killed: when the action is
// cancelled or times out (ActionRunContext::should_stop), or when Bora
// itself dies (PR_SET_PDEATHSIG). The child only runs the script and writes
// the result to a pipe; it touches no database or socket.
#pragma once

#include <functional>

#include "bora/executor/action.h"

namespace bora::executor::javascript {

ActionResult run_isolated(const std::function<ActionResult()>& body, const ActionRunContext& ctx);

}  // namespace bora::executor::javascript
