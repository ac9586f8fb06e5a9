// engine/policies/policy: a task policy (mistral/engine/policies.py) is one
// class with the hooks it needs, listed once in registry.cpp; the task runner
// calls every registered policy at each hook, in the registry's order. A
// policy that waits stores a durable timer (a delayed_calls row, in the same
// transaction as the task's change) and names it among its timers(), so the
// engine loop fires it once due, across restarts too.
//
// Where to add a policy: one file here with a class deriving from
// TaskPolicy, one line in registry.cpp (and its field in lang::PoliciesSpec).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "../step.h"

namespace bora::engine {

// A durable timer a policy arms: `target` is stored in the delayed call (do
// not rename one: stored rows name it), `fire` runs when it is due, for a
// task whose workflow is RUNNING or PAUSED.
struct PolicyTimer {
  const char* target;
  void (*fire)(Step& step, storage::WorkflowExecution& wf_ex, storage::TaskExecution& t, const lang::TaskSpec& task);
  // Fired also once the workflow ended (Mistral's job reads only the task).
  bool after_end = false;
};

class TaskPolicy {
 public:
  virtual ~TaskPolicy() = default;

  // Before the task's action (or sub-workflow, or items) starts, each time
  // it would start (after a wait or a resume too: a policy remembers in the
  // task's runtime_context what it already did). true: the policy held the
  // task back (it waits) or ended it; nothing starts now.
  virtual bool before_start(Step&, storage::WorkflowExecution&, storage::TaskExecution&, const lang::TaskSpec&,
                            const lang::PoliciesSpec&) const {
    return false;
  }
  // An action's (or a with-items task's) result came, before the task
  // completes. true: the policy took it (the task runs again).
  virtual bool on_result(Step&, storage::WorkflowExecution&, storage::TaskExecution&, const lang::TaskSpec&,
                         const lang::PoliciesSpec&, bool /*failed*/, const Value& /*result*/) const {
    return false;
  }
  // The task is about to complete in `state` (SUCCESS or ERROR). true: the
  // completion is held (the policy completes the task later).
  virtual bool before_completion(Step&, storage::WorkflowExecution&, storage::TaskExecution&, const lang::TaskSpec&,
                                 const lang::PoliciesSpec&, State /*state*/,
                                 const std::optional<std::string>& /*state_info*/, const Value& /*result*/) const {
    return false;
  }
  // After the task published, before it is stored complete: the policy may
  // change its state (t.state, t.state_info). `data` and `scope` are what
  // the task's expressions see. An error fails the completion, as Mistral
  // fails the handling of the action's result.
  virtual Result<void> after_publish(Step&, storage::WorkflowExecution&, storage::TaskExecution&,
                                     const lang::PoliciesSpec&, const Value& /*data*/,
                                     const ExpressionScope& /*scope*/) const {
    return {};
  }
  // The durable timers this policy arms.
  virtual std::vector<PolicyTimer> timers() const { return {}; }
};

// The registered policies, in hook order (registry.cpp).
const std::vector<const TaskPolicy*>& task_policies();

// The task's policies, over the workflow's task-defaults.
lang::PoliciesSpec policies_of(const lang::WorkflowSpec& spec, const lang::TaskSpec& task);

// A number of seconds from a policy's value (an expression or a number):
// nullopt when not given (or null), an error text when it is not a
// non-negative number.
Result<std::optional<double>> policy_seconds(Step& step, const storage::WorkflowExecution& wf_ex,
                                             const storage::TaskExecution& t, const expr::CompiledValue& v, const char* name);

// Mistral's TaskPolicy._validate (policy_values.cpp): the task's policies'
// values, evaluated, fit their JSON schemas; else "Invalid data type in
// RetryPolicy: ..." (the task fails to run).
Result<void> check_policy_values(Step& step, const storage::WorkflowExecution& wf_ex, const storage::TaskExecution& t,
                                 const lang::PoliciesSpec& p);

// Stores the durable timer `target` of a task, due in `seconds`.
void schedule_timer(Step& step, const std::string& target, const std::string& task_execution_id, double seconds);

// The timer that starts a DELAYED task's action (after wait-before or a
// retry's delay): the engine's own, shared by those policies.
extern const char* const kStartDelayedTask;
// The timer that completes a task wait-after held (WaitAfterPolicy's
// scheduled task_handler.complete_task).
extern const char* const kCompleteHeldTask;
// The timer that starts more items of a with-items task
// (Step::continue_with_items): the engine's own, due at once.
extern const char* const kContinueWithItems;
// A sub-workflow paused itself (pause command, pause-before): its parent
// task and workflow pause when this timer, due at once, fires in a later
// transaction, as Mistral's scheduled on_action_update does. What runs in
// the same batch (its siblings reaching their own pause) runs first.
extern const char* const kPauseParent;

}  // namespace bora::engine
