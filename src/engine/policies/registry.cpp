// engine/policies/registry: every task policy, in the order the task runner
// calls their hooks, Mistral's where it matters (pause-before is decided
// first, and wait-before next: each arms the timeout itself when it holds
// the task, so a task waiting to start can time out).
// A new policy: its file in this folder and one line here.
#include "policy.h"

namespace bora::engine {

const TaskPolicy& pause_before_policy();
const TaskPolicy& timeout_policy();
const TaskPolicy& wait_before_policy();
const TaskPolicy& retry_policy();
const TaskPolicy& wait_after_policy();
const TaskPolicy& fail_on_policy();

const std::vector<const TaskPolicy*>& task_policies() {
  static const std::vector<const TaskPolicy*> registry = {
      &pause_before_policy(), &wait_before_policy(), &timeout_policy(),
      &retry_policy(),        &wait_after_policy(),  &fail_on_policy(),
  };
  return registry;
}

}  // namespace bora::engine
