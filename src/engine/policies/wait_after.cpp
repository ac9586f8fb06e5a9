// engine/policies/wait_after: `wait-after: <seconds>`: a task that ended
// waits DELAYED before it completes (mistral/engine/policies.py
// WaitAfterPolicy); what it ended with is held in its runtime_context until
// the timer completes it.
#include <cmath>

#include "bora/core/python_format.h"
#include "policy.h"

namespace bora::engine {

const char* const kCompleteHeldTask = "complete_task";

namespace {


// The delay as Mistral shows it: its schema makes it an integer.
Value seconds_value(double s) {
  return std::floor(s) == s ? Value(static_cast<int64_t>(s)) : Value(s);
}

void complete_held_task(Step& step, storage::WorkflowExecution& wf_ex, storage::TaskExecution& t,
                        const lang::TaskSpec&) {
  if (t.state != State::Delayed) return;
  // A copy: t is reassigned below.
  HeldCompletion held = TaskContextView(t.runtime_context).held_completion().value_or(HeldCompletion{});
  set_task_state(t, State::Running);
  t = step.tx_.task_executions().update(t).value();
  // The hold's DELAYED -> RUNNING is Bora's own hop before the held
  // completion (Mistral completes the RUNNING_DELAYED task directly): no
  // TASK_LAUNCHED for it.
  step.task_state_changed(wf_ex, t, State::Delayed, Step::Tell::no_event);
  Step::CompletingThroughHandler through(step, t.id);
  step.complete_task(wf_ex, t, held.state, held.state_info, held.result);
}

class WaitAfter final : public TaskPolicy {
 public:
  bool before_completion(Step& step, storage::WorkflowExecution& wf_ex, storage::TaskExecution& t,
                         const lang::TaskSpec& task, const lang::PoliciesSpec& p, State state,
                         const std::optional<std::string>& state_info, const Value& result) const override {
    if (TaskContextView(t.runtime_context).wait_after_done()) return false;
    auto wait = policy_seconds(step, wf_ex, t, p.wait_after, "wait-after");
    if (!wait || !*wait || **wait <= 0) return false;  // a bad value does not hold the task
    // Mistral's Task.complete publishes before its policies run, so the
    // held task shows what it published, and keeps it when something else
    // (a timeout) ends the hold in ERROR without a publish-on-error. The
    // policy's `skip` mark is set now: a completion during the hold is not
    // held again.
    if (auto published = step.publish(wf_ex, t, task, state, result); !published) {
      step.force_fail_completion(wf_ex, t, published.error().message);
      return true;
    }
    // Then it drops the result (keep-result: false) before its policies
    // run: the held completion publishes again and tests its retry
    // conditions without it (policies/retry_keep_result_*).
    Value held_result = result;
    if (Step::drops_result(task)) {
      step.drop_result(t);
      held_result = Value();
    }
    TaskContext(t.runtime_context).hold_completion(HeldCompletion{state, state_info, held_result});
    TaskContext(t.runtime_context).mark_wait_after_done();
    set_task_state(t, State::Delayed);
    t.state_info = "Delayed by 'wait-after' policy [delay=" + python_str(seconds_value(**wait)) + "]";
    t = step.tx_.task_executions().update(t).value();
    step.task_state_changed(wf_ex, t, State::Running);
    schedule_timer(step, kCompleteHeldTask, t.id, **wait);
    return true;
  }
  std::vector<PolicyTimer> timers() const override { return {{kCompleteHeldTask, complete_held_task}}; }
};

}  // namespace

const TaskPolicy& wait_after_policy() {
  static const WaitAfter policy;
  return policy;
}

}  // namespace bora::engine
